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
    ).meta({ description: 'live workers by task queue; workers serve every tenant' }),
    storage: z
      .strictObject({
        datasetsBytes: z.number().int().meta({ description: "the tenant's dataset files" }),
        modelsBytes: z.number().int().meta({ description: "the tenant's model files (ONNX, preprocessing plan, engine model), each distinct object once" }),
      })
      .optional()
      .meta({ description: 'admins only: bytes the tenant has stored, from the registry' }),
  })
  .meta({ id: 'Stats' });
export type StatsDto = z.output<typeof StatsDto>;

export const getStats = endpoint({
  method: 'get',
  path: '/v1/stats',
  tag: 'stats',
  summary: "The tenant's job counts and the workers serving it",
  description: "Counts are of the caller's tenant's jobs only; admins also see the bytes the tenant has stored.",
  role: 'viewer',
  status: 200,
  responseDescription: 'the counts',
  response: StatsDto,
  errors: [],
});
