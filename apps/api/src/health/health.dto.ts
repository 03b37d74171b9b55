import { z } from 'zod';
import { endpoint } from '../common/endpoint';

export const HealthDto = z
  .strictObject({
    status: z.enum(['ok', 'unavailable']),
    checks: z.strictObject({ database: z.string(), temporal: z.string() }).meta({ description: '"ok", or "error: <reason>"' }),
  })
  .meta({ id: 'Health', example: { status: 'ok', checks: { database: 'ok', temporal: 'ok' } } });
export type HealthDto = z.output<typeof HealthDto>;

export const getHealth = endpoint({
  method: 'get',
  path: '/health',
  tag: 'health',
  summary: 'Readiness: the database and Temporal answer',
  role: 'public',
  status: 200,
  alsoStatus: [503],
  responseDescription: 'ok (200), or the failing check (503)',
  response: HealthDto,
  errors: [],
});
