import { z } from 'zod';
import { endpoint } from '../common/endpoint';

export const StatsDto = z
  .strictObject({
    queued: z.number().int(),
    running: z.number().int(),
    completedLast24h: z.number().int(),
    failedLast24h: z.number().int(),
    successRate: z.number().nullable().meta({ description: 'completed / (completed + failed) over 24 h; null without either' }),
    workers: z.array(
      z.strictObject({
        taskQueue: z.string(),
        device: z.enum(['cpu', 'gpu']),
        slots: z.number().int(),
        busy: z.number().int(),
        workers: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'Stats' });
export type StatsDto = z.output<typeof StatsDto>;

export const getStats = endpoint({
  method: 'get',
  path: '/v1/stats',
  tag: 'stats',
  summary: "The tenant's job counts and the workers serving it",
  role: 'viewer',
  status: 200,
  responseDescription: 'the counts',
  response: StatsDto,
  errors: [],
});
