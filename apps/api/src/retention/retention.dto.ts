import { z } from 'zod';
import { endpoint } from '../common/endpoint';

export const RetentionRunDto = z
  .strictObject({
    policy: z.strictObject({
      completedJobDays: z.number().int(),
      failedJobDays: z.number().int(),
      logDays: z.number().int(),
      cron: z.string().meta({ description: 'when the schedule runs it (UTC)' }),
    }),
    jobsDeleted: z.number().int(),
    logLinesDeleted: z.number().int(),
    objectsDeleted: z
      .number()
      .int()
      .meta({ description: 'objects removed from the store: deleted jobs, orphaned uploads, abandoned scratch and parts' }),
  })
  .meta({ id: 'RetentionRun' });
export type RetentionRunDto = z.output<typeof RetentionRunDto>;

export const runRetention = endpoint({
  method: 'post',
  path: '/v1/admin/retention/run',
  tag: 'admin',
  summary: 'Run the retention cleanup now',
  description: 'It also runs on its own schedule. It covers every tenant, so only admins of the default tenant run it.',
  role: 'admin',
  status: 201,
  responseDescription: 'what was deleted, under which policy',
  response: RetentionRunDto,
  errors: ['FORBIDDEN'],
});
