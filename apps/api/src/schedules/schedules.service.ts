import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleSpec } from '@temporalio/client';
import type { TrainyardConfig } from '@trainyard/config';
import { CONTROL_QUEUE, METRIC_DIRECTIONS, queueName, type TrainingSpec } from '@trainyard/contracts';
import { Dataset, OVERLAP_POLICIES, TrainingJob, TrainingSchedule, type OverlapPolicy, type PromotionRule } from '@trainyard/db';
import type { scheduledTrainingWorkflow } from '../../../../workflows';
import type { Principal } from '../auth/principal';
import { ApiError, notFound, unavailable, validationFailed, type FieldError } from '../common/api-error';
import type { Page, PageQuery } from '../common/pagination';
import { CONFIG, TEMPORAL_CLIENT } from '../config.token';
import { parseTrainingJobRequest } from '../jobs/training-job.request';
import { toJobResponse } from '../jobs/training-job.response';

const OVERLAP: Record<OverlapPolicy, ScheduleOverlapPolicy> = {
  skip: ScheduleOverlapPolicy.SKIP,
  buffer_one: ScheduleOverlapPolicy.BUFFER_ONE,
  buffer_all: ScheduleOverlapPolicy.BUFFER_ALL,
  cancel_other: ScheduleOverlapPolicy.CANCEL_OTHER,
  terminate_other: ScheduleOverlapPolicy.TERMINATE_OTHER,
  allow_all: ScheduleOverlapPolicy.ALLOW_ALL,
};

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface ScheduleInput {
  name: string;
  cron: string | null;
  intervalSeconds: number | null;
  timezone: string;
  job: TrainingSpec & { tags: Record<string, string> };
  overlap: OverlapPolicy;
  promote: PromotionRule | null;
}

export function scheduleId(id: string): string {
  return `schedule-${id}`;
}

function isTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

@Injectable()
export class SchedulesService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CONFIG) private readonly config: TrainyardConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  parse(body: unknown): Omit<ScheduleInput, 'job'> & { job: ReturnType<typeof parseTrainingJobRequest> } {
    const b = (body ?? {}) as Record<string, unknown>;
    const errors: FieldError[] = [];
    if (typeof b.name !== 'string' || !NAME.test(b.name)) errors.push({ field: 'name', message: 'letters, digits, ".", "_" or "-", up to 128 characters' });
    const cron = typeof b.cron === 'string' ? b.cron.trim() : null;
    const interval = b.intervalSeconds;
    if ((cron === null) === (interval === undefined || interval === null)) errors.push({ field: 'cron', message: 'give exactly one of cron (e.g. "0 3 * * *") or intervalSeconds' });
    if (cron !== null && !/^(\S+\s+){4}\S+$/.test(cron)) errors.push({ field: 'cron', message: 'five fields: minute hour day-of-month month day-of-week' });
    if (interval !== undefined && interval !== null && (!Number.isInteger(interval) || (interval as number) < 60)) errors.push({ field: 'intervalSeconds', message: 'an integer of at least 60' });
    const timezone = b.timezone === undefined ? 'UTC' : b.timezone;
    if (typeof timezone !== 'string' || !isTimezone(timezone)) errors.push({ field: 'timezone', message: 'an IANA time zone such as UTC or Europe/Paris' });
    const overlap = (b.overlap ?? 'skip') as OverlapPolicy;
    if (!OVERLAP_POLICIES.includes(overlap)) errors.push({ field: 'overlap', message: `one of ${OVERLAP_POLICIES.join(', ')}` });
    let promote: PromotionRule | null = null;
    if (b.promote !== undefined && b.promote !== null) {
      const p = b.promote as Record<string, unknown>;
      const alias = p.alias ?? 'production';
      const metric = p.metric;
      const minImprovement = p.minImprovement ?? 0;
      if (typeof alias !== 'string' || !/^[a-z][a-z0-9_-]{0,62}$/.test(alias)) errors.push({ field: 'promote.alias', message: 'an alias name such as production' });
      if (typeof metric !== 'string' || !(metric in METRIC_DIRECTIONS)) errors.push({ field: 'promote.metric', message: `one of ${Object.keys(METRIC_DIRECTIONS).join(', ')}` });
      if (typeof minImprovement !== 'number' || !Number.isFinite(minImprovement)) errors.push({ field: 'promote.minImprovement', message: 'a number' });
      promote = { alias: alias as string, metric: metric as string, minImprovement: minImprovement as number };
    }
    let job: ReturnType<typeof parseTrainingJobRequest> | null = null;
    try {
      job = parseTrainingJobRequest(b.job);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const fields = (err.details.fields as FieldError[] | undefined) ?? [{ field: 'body', message: err.message }];
      errors.push(...fields.map((f) => ({ field: f.field === 'body' ? 'job' : `job.${f.field}`, message: f.message })));
    }
    if (errors.length) throw validationFailed(errors);
    return { name: b.name as string, cron, intervalSeconds: (interval as number | undefined) ?? null, timezone: timezone as string, overlap, promote, job: job! };
  }

  private spec(s: TrainingSchedule): ScheduleSpec {
    return s.cron ? { cronExpressions: [s.cron], timezone: s.timezone } : { intervals: [{ every: `${s.intervalSeconds}s` }] };
  }

  async create(principal: Principal, input: ReturnType<SchedulesService['parse']>) {
    const dataset = await this.em.findOne(Dataset, { id: input.job.spec.datasetId, tenantId: principal.tenantId });
    if (!dataset) throw notFound('DATASET', input.job.spec.datasetId);
    const spec: TrainingSpec = { ...input.job.spec, name: input.job.spec.name ?? `${dataset.name}-${input.job.spec.model.type}` };
    const schedule = this.em.create(TrainingSchedule, {
      tenantId: principal.tenantId,
      name: input.name,
      cron: input.cron,
      intervalSeconds: input.intervalSeconds,
      timezone: input.timezone,
      job: { ...spec, tags: input.job.tags } as unknown as Record<string, unknown>,
      overlap: input.overlap,
      promote: input.promote,
      paused: false,
      createdBy: principal.name,
      createdAt: new Date(),
    });
    await this.em.persistAndFlush(schedule);
    try {
      await this.temporal.schedule.create({
        scheduleId: scheduleId(schedule.id),
        spec: this.spec(schedule),
        action: {
          type: 'startWorkflow',
          workflowType: 'scheduledTrainingWorkflow',
          workflowId: `scheduled-${schedule.id}`,
          taskQueue: queueName(CONTROL_QUEUE, this.config.queuePrefix),
          args: [{ scheduleId: schedule.id, queuePrefix: this.config.queuePrefix }] as Parameters<typeof scheduledTrainingWorkflow>,
        },
        policies: { overlap: OVERLAP[schedule.overlap], catchupWindow: '1 minute' },
        memo: { tenantId: principal.tenantId, name: schedule.name },
      });
    } catch (err) {
      await this.em.nativeDelete(TrainingSchedule, { id: schedule.id });
      const message = err instanceof Error ? err.message : String(err);
      if (/cron|invalid|spec/i.test(message)) throw validationFailed([{ field: 'cron', message: `Temporal rejected the schedule: ${message}` }]);
      throw unavailable('the workflow service', err);
    }
    return this.describe(principal, schedule.id);
  }

  async get(principal: Principal, id: string): Promise<TrainingSchedule> {
    const s = await this.em.findOne(TrainingSchedule, { id, tenantId: principal.tenantId, deletedAt: null });
    if (!s) throw notFound('SCHEDULE', id);
    return s;
  }

  private toResponse(s: TrainingSchedule) {
    return {
      id: s.id,
      name: s.name,
      cron: s.cron,
      intervalSeconds: s.intervalSeconds,
      timezone: s.timezone,
      job: s.job,
      overlap: s.overlap,
      promote: s.promote,
      paused: s.paused,
      createdBy: s.createdBy,
      createdAt: s.createdAt.toISOString(),
    };
  }

  async list(principal: Principal, page: PageQuery): Promise<Page<ReturnType<SchedulesService['toResponse']>>> {
    const [items, total] = await this.em.findAndCount(TrainingSchedule, { tenantId: principal.tenantId, deletedAt: null }, { orderBy: { createdAt: 'desc' }, limit: page.pageSize, offset: page.offset });
    return { items: items.map((s) => this.toResponse(s)), total, page: page.page, pageSize: page.pageSize };
  }

  /** The schedule with its next runs (from Temporal) and its recent jobs. */
  async describe(principal: Principal, id: string) {
    const s = await this.get(principal, id);
    let nextRuns: string[] = [];
    try {
      const info = await this.temporal.schedule.getHandle(scheduleId(s.id)).describe();
      nextRuns = info.info.nextActionTimes.slice(0, 5).map((d) => d.toISOString());
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw unavailable('the workflow service', err);
    }
    const recent = await this.em.find(TrainingJob, { tenantId: principal.tenantId, scheduleId: s.id }, { orderBy: { createdAt: 'desc' }, limit: 10 });
    return { ...this.toResponse(s), nextRuns, recentJobs: recent.map((j) => ({ ...toJobResponse(j), promotion: j.promotion })) };
  }

  async pause(principal: Principal, id: string, paused: boolean) {
    const s = await this.get(principal, id);
    const handle = this.temporal.schedule.getHandle(scheduleId(s.id));
    await (paused ? handle.pause(`paused by ${principal.name}`) : handle.unpause(`resumed by ${principal.name}`)).catch((err: unknown) => {
      throw unavailable('the workflow service', err);
    });
    s.paused = paused;
    await this.em.flush();
    return this.describe(principal, id);
  }

  async trigger(principal: Principal, id: string) {
    const s = await this.get(principal, id);
    await this.temporal.schedule
      .getHandle(scheduleId(s.id))
      .trigger(OVERLAP[s.overlap])
      .catch((err: unknown) => {
        throw unavailable('the workflow service', err);
      });
    return this.describe(principal, id);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    const s = await this.get(principal, id);
    await this.temporal.schedule
      .getHandle(scheduleId(s.id))
      .delete()
      .catch((err: unknown) => {
        if (!(err instanceof ScheduleNotFoundError)) throw unavailable('the workflow service', err);
      });
    s.deletedAt = new Date();
    await this.em.flush();
  }
}
