import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { improvement, METRIC_DIRECTIONS, PRIORITY_KEYS, type TrainingSpec, type TrainingWorkflowInput } from '@trainyard/contracts';
import { Dataset, EventStore, JobStore, ModelAlias, ModelAliasEvent, ModelVersion, TrainingJob, TrainingSchedule, buildTrainingJob } from '@trainyard/db';
import { classificationMetrics, loadPrepared, readFrame, regressionMetrics, scoreRawOnnx, takeRows, type PreprocessPlan } from '@trainyard/ml';
import type { ActivityDeps } from './activity-deps';
import { derivedUuid } from './derived-id';
import { dataPath, jobDir } from './job-files';

export interface PlannedRun {
  jobId: string;
  workflowId: string;
  input: TrainingWorkflowInput;
  priorityKey: number;
  promote: boolean;
}

export function createScheduleActivities(deps: ActivityDeps) {
  /** One model's `metric` on the job's own test rows, from the raw columns, labels aligned by class name. */
  async function score(job: TrainingJob, version: ModelVersion, metric: string): Promise<number> {
    if (!(metric in METRIC_DIRECTIONS)) throw new Error(`unknown promotion metric ${metric}`);
    const dir = jobDir(job.id);
    const prepared = await loadPrepared(dataPath(deps.config.dataDir, join(dir, 'prepared')));
    const frame = await readFrame(dataPath(deps.config.dataDir, join(dir, 'features.frame')));
    const rows = takeRows(frame, prepared.frameRows!.test);
    const plan = JSON.parse(await readFile(dataPath(deps.config.dataDir, version.planPath!), 'utf8')) as PreprocessPlan;
    const onnx = await readFile(dataPath(deps.config.dataDir, version.artifactPath));
    const out = await scoreRawOnnx(onnx, plan, rows);
    const labels = prepared.test.labels;
    let metrics: Record<string, unknown>;
    if (prepared.task === 'classification') {
      const target = prepared.classLabels!;
      const theirs = version.signature.classLabels ?? target;
      const k = theirs.length;
      const aligned = new Float32Array(labels.length * target.length);
      for (let r = 0; r < labels.length; r++) {
        theirs.forEach((label, c) => {
          const at = target.indexOf(label);
          if (at >= 0) aligned[r * target.length + at] = out.probabilities![r * k + c];
        });
      }
      metrics = classificationMetrics(labels, aligned, target) as unknown as Record<string, unknown>;
    } else {
      metrics = regressionMetrics(labels, out.values!) as unknown as Record<string, unknown>;
    }
    const value = metrics[metric];
    if (typeof value !== 'number') throw new Error(`metric ${metric} is not defined for this task`);
    return value;
  }

  return {
    /** Creates this run's job on the newest version of the schedule's dataset; null when the schedule is gone. */
    async planScheduledRun(input: { scheduleId: string; runWorkflowId: string; queuePrefix: string }): Promise<PlannedRun | null> {
      const em = deps.orm.em.fork();
      const schedule = await em.findOne(TrainingSchedule, { id: input.scheduleId, deletedAt: null });
      if (!schedule) return null;
      const jobId = derivedUuid(`schedule-run:${input.runWorkflowId}`);
      let job = await em.findOne(TrainingJob, { id: jobId });
      if (!job) {
        const spec = schedule.job as unknown as TrainingSpec;
        const named = await em.findOne(Dataset, { id: spec.datasetId, tenantId: schedule.tenantId });
        const newest = named ? await em.findOne(Dataset, { tenantId: schedule.tenantId, name: named.name }, { orderBy: { version: 'desc' } }) : null;
        const runSpec: TrainingSpec = { ...spec, datasetId: newest?.id ?? spec.datasetId };
        job = buildTrainingJob({ tenantId: schedule.tenantId, spec: runSpec, tags: { ...((schedule.job.tags as Record<string, string>) ?? {}), schedule: schedule.name }, notes: null, createdBy: `schedule:${schedule.name}`, scheduleId: schedule.id });
        job.id = jobId;
        job.workflowId = `training-job-${jobId}`;
        try {
          await em.persistAndFlush(job);
          await new JobStore(em).log(jobId, { level: 'info', message: `queued by schedule ${schedule.name} on ${newest ? `${newest.name} v${newest.version}` : 'its dataset'}` });
        } catch (err) {
          if (!(err instanceof UniqueConstraintViolationException)) throw err;
          job = await em.findOneOrFail(TrainingJob, { id: jobId });
        }
      }
      return {
        jobId,
        workflowId: job.workflowId,
        input: { jobId, tenantId: job.tenantId, spec: job.spec, queuePrefix: input.queuePrefix },
        priorityKey: PRIORITY_KEYS[job.spec.priority],
        promote: schedule.promote !== null,
      };
    },

    /**
     * Scores the new model and the alias holder on the new job's test rows and moves the alias only when the
     * metric improves by at least minImprovement; records the decision on the job and a model.promoted event.
     */
    async evaluatePromotion(input: { jobId: string; scheduleId: string }): Promise<{ promoted: boolean; performanceImprovement: number | null }> {
      const em = deps.orm.em.fork();
      const job = await em.findOneOrFail(TrainingJob, { id: input.jobId });
      if (job.promotion) return { promoted: job.promotion.promoted, performanceImprovement: job.promotion.performanceImprovement };
      const schedule = await em.findOneOrFail(TrainingSchedule, { id: input.scheduleId });
      const rule = schedule.promote!;
      const ref = job.modelVersion!;
      const candidate = await em.findOneOrFail(ModelVersion, { tenantId: job.tenantId, name: ref.name, version: ref.version });
      const holder = await em.findOne(ModelAlias, { tenantId: job.tenantId, modelName: ref.name, alias: rule.alias });
      const incumbent = holder && holder.version !== ref.version ? await em.findOne(ModelVersion, { tenantId: job.tenantId, name: ref.name, version: holder.version }) : null;

      let gain: number | null = null;
      if (incumbent) {
        const [mine, theirs] = await Promise.all([score(job, candidate, rule.metric), score(job, incumbent, rule.metric)]);
        gain = improvement(rule.metric, mine, theirs);
      }
      const promote = !holder || (gain !== null && gain >= rule.minImprovement);
      if (promote && holder?.version !== ref.version) {
        await em.transactional(async (tx) => {
          const actor = `schedule:${schedule.name}`;
          const reason = gain === null ? 'no model held the alias' : `${rule.metric} improved by ${gain}`;
          if (holder) await tx.nativeUpdate(ModelAlias, { tenantId: job.tenantId, modelName: ref.name, alias: rule.alias }, { version: ref.version, updatedBy: actor, updatedAt: new Date() });
          else tx.persist(tx.create(ModelAlias, { tenantId: job.tenantId, modelName: ref.name, alias: rule.alias, version: ref.version, updatedBy: actor, updatedAt: new Date() }));
          tx.persist(tx.create(ModelAliasEvent, { tenantId: job.tenantId, modelName: ref.name, alias: rule.alias, fromVersion: holder?.version ?? null, toVersion: ref.version, actor, reason, at: new Date() }));
          await tx.flush();
        });
        await new EventStore(em).record(job.tenantId, 'model.promoted', `promoted:${job.id}`, {
          jobId: job.id,
          modelName: ref.name,
          modelVersion: ref.version,
          modelType: job.modelType,
          alias: rule.alias,
          previousVersion: holder?.version ?? null,
          metrics: job.metrics,
          deploymentReady: true,
          performanceImprovement: gain,
        });
      }
      const promotion = { deploymentReady: promote, performanceImprovement: gain, alias: rule.alias, metric: rule.metric, promoted: promote, previousVersion: holder?.version ?? null };
      await em.nativeUpdate(TrainingJob, { id: job.id }, { promotion });
      await new JobStore(em).log(job.id, {
        level: 'info',
        stage: 'register',
        message: promote ? `promoted ${ref.name} v${ref.version} to ${rule.alias}` : `kept ${rule.alias} on v${holder?.version}: ${rule.metric} improved by ${gain} < ${rule.minImprovement}`,
        data: promotion,
      });
      return { promoted: promote, performanceImprovement: gain };
    },
  };
}

export type ScheduleActivities = ReturnType<typeof createScheduleActivities>;
