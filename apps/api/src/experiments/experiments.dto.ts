import { z } from 'zod';
import { listEndpoint } from '../common/endpoint';
import { Timestamp, Uuid } from '../common/schemas';

export const ExperimentDto = z
  .strictObject({
    name: z.string(),
    jobCounts: z.strictObject({ queued: z.number().int(), running: z.number().int(), completed: z.number().int(), failed: z.number().int(), cancelled: z.number().int() }),
    totalJobs: z.number().int(),
    lastJobAt: Timestamp,
    best: z.record(z.string(), z.strictObject({ jobId: Uuid, name: z.string(), value: z.number() })).meta({ description: 'per metric, the best completed job by the metric’s direction' }),
  })
  .meta({ id: 'Experiment' });
export type ExperimentDto = z.output<typeof ExperimentDto>;

export const listExperiments = listEndpoint({
  path: '/v1/experiments',
  tag: 'experiments',
  summary: 'Experiments, most recently used first, with job counts by status and the best job per metric',
  item: ExperimentDto,
});
