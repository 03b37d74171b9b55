import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleSpec } from '@temporalio/client';
import type { TrainyardConfig } from '@trainyard/config';
import { CONTROL_QUEUE, queueName } from '@trainyard/contracts';
import { TrainingJob, TrainingSchedule, type OverlapPolicy } from '@trainyard/db';
import type { scheduledTrainingWorkflow } from '../../../../workflows';
import type { Principal } from '../auth/principal';
import { ApiError, notFound, unavailable, validationFailed } from '../common/api-error';
import { WithStatus } from '../common/endpoint';
import { IdempotencyService, requestHash } from '../common/idempotency.service';
import { pageWindow, type Page, type PageQuery } from '../common/schemas';
import { CONFIG, TEMPORAL_CLIENT } from '../config.token';
import { TrainingJobsService } from '../jobs/training-jobs.service';
import type { ScheduleDetailDto, ScheduleDto, ScheduleRequest } from './schedules.dto';

const OVERLAP: Record<OverlapPolicy, ScheduleOverlapPolicy> = {
  skip: ScheduleOverlapPolicy.SKIP,
  buffer_one: ScheduleOverlapPolicy.BUFFER_ONE,
  buffer_all: ScheduleOverlapPolicy.BUFFER_ALL,
  cancel_other: ScheduleOverlapPolicy.CANCEL_OTHER,
  terminate_other: ScheduleOverlapPolicy.TERMINATE_OTHER,
  allow_all: ScheduleOverlapPolicy.ALLOW_ALL,
};

export function scheduleId(id: string): string {
  return `schedule-${id}`;
}

@Injectable()
export class SchedulesService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CONFIG) private readonly config: TrainyardConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly idempotency: IdempotencyService,
    private readonly jobs: TrainingJobsService,
  ) {}

  submit(principal: Principal, input: ScheduleRequest, body: unknown, key: string | undefined): Promise<WithStatus<ScheduleDetailDto>> {
    return this.idempotency.run({ route: 'POST /v1/schedules', key, hash: requestHash(body) }, async () => new WithStatus(201, await this.create(principal, input)));
  }

  private spec(s: TrainingSchedule): ScheduleSpec {
    return s.cron ? { cronExpressions: [s.cron], timezone: s.timezone } : { intervals: [{ every: `${s.intervalSeconds}s` }] };
  }

  async create(principal: Principal, input: ScheduleRequest): Promise<ScheduleDetailDto> {
    const spec = await this.jobs.resolveSpec(input.job, 'job.');
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
    return this.describe(schedule.id);
  }

  async get(id: string): Promise<TrainingSchedule> {
    const s = await this.em.findOne(TrainingSchedule, { id, deletedAt: null });
    if (!s) throw notFound('SCHEDULE', id);
    return s;
  }

  private toResponse(s: TrainingSchedule): ScheduleDto {
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

  async list(query: PageQuery): Promise<Page<ScheduleDto>> {
    const page = pageWindow(query);
    const [items, total] = await this.em.findAndCount(TrainingSchedule, { deletedAt: null }, { orderBy: { createdAt: 'desc' }, limit: page.pageSize, offset: page.offset });
    return { items: items.map((s) => this.toResponse(s)), total, page: page.page, pageSize: page.pageSize };
  }

  /** The schedule with its next runs (from Temporal) and its recent jobs. */
  async describe(id: string): Promise<ScheduleDetailDto> {
    const s = await this.get(id);
    let nextRuns: string[] = [];
    try {
      const info = await this.temporal.schedule.getHandle(scheduleId(s.id)).describe();
      nextRuns = info.info.nextActionTimes.slice(0, 5).map((d) => d.toISOString());
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw unavailable('the workflow service', err);
    }
    const recent = await this.em.find(TrainingJob, { scheduleId: s.id }, { orderBy: { createdAt: 'desc' }, limit: 10 });
    return { ...this.toResponse(s), nextRuns, recentJobs: recent.map((j) => ({ ...this.jobs.toDto(j, { plots: false }), promotion: j.promotion })) };
  }

  async pause(principal: Principal, id: string, paused: boolean): Promise<ScheduleDetailDto> {
    const s = await this.get(id);
    const handle = this.temporal.schedule.getHandle(scheduleId(s.id));
    await (paused ? handle.pause(`paused by ${principal.name}`) : handle.unpause(`resumed by ${principal.name}`)).catch((err: unknown) => {
      throw unavailable('the workflow service', err);
    });
    s.paused = paused;
    await this.em.flush();
    return this.describe(id);
  }

  /**
   * Starts a run now. Temporal's scheduler learns that a run ended a moment after it did, so a trigger right after a
   * run would be dropped under `skip`; the jobs table says at once whether one is going, and decides instead: no run
   * going starts one whatever the policy, one going under `skip` is a 409 rather than a trigger silently lost.
   */
  async trigger(id: string): Promise<ScheduleDetailDto> {
    const s = await this.get(id);
    const going = await this.em.findOne(TrainingJob, { scheduleId: s.id, status: { $in: ['queued', 'running'] } }, { fields: ['id'], orderBy: { createdAt: 'desc' } });
    if (going && s.overlap === 'skip') {
      throw new ApiError('SCHEDULE_RUN_IN_PROGRESS', `run ${going.id} of this schedule is still going and its overlap policy is skip; wait for it, or cancel that job`, { jobId: going.id });
    }
    await this.temporal.schedule
      .getHandle(scheduleId(s.id))
      .trigger(going ? OVERLAP[s.overlap] : ScheduleOverlapPolicy.ALLOW_ALL)
      .catch((err: unknown) => {
        throw unavailable('the workflow service', err);
      });
    return this.describe(id);
  }

  async remove(id: string): Promise<void> {
    const s = await this.get(id);
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
