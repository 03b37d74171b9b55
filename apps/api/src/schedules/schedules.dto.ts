import { OVERLAP_POLICIES } from '@trainyard/db';
import { z } from 'zod';
import { byIdEndpoint, createEndpoint, listEndpoint } from '../common/endpoint';
import type { ErrorCode } from '../common/error-codes';
import { AliasName, JsonObject, Name, Timestamp, Uuid } from '../common/schemas';
import { TrainingJobDto, TrainingJobRequest } from '../jobs/training-job.dto';
import { Metric } from '../studies/studies.dto';
import { cronProblem } from './cron';

function isTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const PromotionRule = z
  .strictObject({
    alias: AliasName.default('production'),
    metric: Metric,
    minImprovement: z.number().default(0).meta({ description: 'how much better than the alias holder the new model must be, in the metric’s own direction' }),
  })
  .meta({ id: 'PromotionRule', example: { alias: 'production', metric: 'rocAuc', minImprovement: 0 } });

export const ScheduleRequest = z
  .strictObject({
    name: Name,
    cron: z
      .string()
      .trim()
      .superRefine((cron, ctx) => {
        const problem = cronProblem(cron);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .nullable()
      .optional()
      .meta({ description: 'minute hour day-of-month month day-of-week', example: '0 3 * * *' }),
    intervalSeconds: z.number().int().min(60, 'an integer of at least 60').nullable().optional().meta({ description: 'instead of cron: run every n seconds' }),
    timezone: z.string().refine(isTimezone, 'an IANA time zone such as UTC or Europe/Paris').default('UTC'),
    job: TrainingJobRequest,
    overlap: z.enum(OVERLAP_POLICIES).default('skip').meta({ description: 'what a run does when the previous one is still going' }),
    promote: PromotionRule.nullable().default(null).meta({ description: 'move the alias to the new model when it beats the holder' }),
  })
  .superRefine((b, ctx) => {
    if ((b.cron == null) === (b.intervalSeconds == null)) ctx.addIssue({ code: 'custom', path: ['cron'], message: 'give exactly one of cron (e.g. "0 3 * * *") or intervalSeconds' });
  })
  .transform((b) => ({ ...b, cron: b.cron ?? null, intervalSeconds: b.intervalSeconds ?? null }))
  .meta({
    id: 'ScheduleRequest',
    example: {
      name: 'nightly-churn',
      cron: '0 3 * * *',
      timezone: 'UTC',
      job: { datasetId: '6f1c0a52-3f43-4d59-9a4e-0c2b6c1f7d11', target: 'churned', model: { type: 'xgboost' } },
      overlap: 'skip',
      promote: { alias: 'production', metric: 'rocAuc', minImprovement: 0 },
    },
  });
export type ScheduleRequest = z.output<typeof ScheduleRequest>;

export const ScheduleDto = z
  .strictObject({
    id: Uuid,
    name: z.string(),
    cron: z.string().nullable(),
    intervalSeconds: z.number().int().nullable(),
    timezone: z.string(),
    job: JsonObject.meta({ description: 'the job spec after defaults, with its tags; each run trains on the newest version of its dataset’s name' }),
    overlap: z.enum(OVERLAP_POLICIES),
    promote: z.strictObject({ alias: z.string(), metric: z.string(), minImprovement: z.number() }).nullable(),
    paused: z.boolean(),
    createdBy: z.string(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Schedule' });
export type ScheduleDto = z.output<typeof ScheduleDto>;

export const ScheduleDetailDto = ScheduleDto.extend({
  nextRuns: z.array(Timestamp).meta({ description: 'the next five run times' }),
  recentJobs: z.array(
    TrainingJobDto.extend({
      promotion: z
        .strictObject({ deploymentReady: z.boolean(), performanceImprovement: z.number().nullable(), alias: z.string(), metric: z.string(), promoted: z.boolean(), previousVersion: z.number().int().nullable() })
        .nullable(),
    }),
  ),
}).meta({ id: 'ScheduleDetail' });
export type ScheduleDetailDto = z.output<typeof ScheduleDetailDto>;

const tag = 'schedules';

export const createSchedule = createEndpoint({
  path: '/v1/schedules',
  tag,
  summary: 'Create a recurring retrain',
  role: 'trainer',
  body: ScheduleRequest,
  responseDescription: 'the schedule',
  response: ScheduleDetailDto,
  errors: ['DATASET_NOT_FOUND', 'UNAVAILABLE'],
});

export const listSchedules = listEndpoint({ path: '/v1/schedules', tag, summary: 'List schedules', item: ScheduleDto });

export const getSchedule = byIdEndpoint({
  method: 'get',
  path: '/v1/schedules/{id}',
  tag,
  summary: 'Get a schedule with its next runs and recent jobs',
  role: 'viewer',
  resource: 'SCHEDULE',
  status: 200,
  responseDescription: 'the schedule',
  response: ScheduleDetailDto,
  errors: ['UNAVAILABLE'],
});

const action = (verb: 'pause' | 'resume' | 'trigger', summary: string, status: number, errors: ErrorCode[] = []) =>
  byIdEndpoint({ method: 'post', path: `/v1/schedules/{id}/${verb}`, tag, summary, role: 'trainer', resource: 'SCHEDULE', status, responseDescription: 'the schedule', response: ScheduleDetailDto, errors: ['UNAVAILABLE', ...errors] });

export const pauseSchedule = action('pause', 'Pause a schedule', 200);
export const resumeSchedule = action('resume', 'Resume a paused schedule', 200);
export const triggerSchedule = action('trigger', 'Start a run now (409 SCHEDULE_RUN_IN_PROGRESS while one is going under overlap skip)', 202, ['SCHEDULE_RUN_IN_PROGRESS']);

export const deleteSchedule = byIdEndpoint({
  method: 'delete',
  path: '/v1/schedules/{id}',
  tag,
  summary: 'Delete a schedule',
  role: 'trainer',
  resource: 'SCHEDULE',
  status: 204,
  responseDescription: 'deleted',
  response: null,
  errors: ['UNAVAILABLE'],
});
