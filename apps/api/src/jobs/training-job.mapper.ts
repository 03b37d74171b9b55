import { defaultPreprocessing, metricsWithoutPlots, STAGE_PROGRESS } from '@trainyard/contracts';
import type { TrainingJob } from '@trainyard/db';
import type { TrainingJobDto } from './training-job.dto';

/**
 * The job as the API shows it: `temporalUrl` turns its workflow id into a link to the Temporal UI, where known; a
 * list leaves the plot points out of its metrics (GET the job for them).
 */
export function toJobDto(j: TrainingJob, temporalUrl: (workflowId: string) => string | null, { now = new Date(), plots = true }: { now?: Date; plots?: boolean } = {}): TrainingJobDto {
  const { spec } = j;
  return {
    id: j.id,
    name: j.name,
    experiment: j.experiment,
    status: j.status,
    stage: j.stage,
    progress: j.progress,
    priority: j.priority,
    model: j.spec.model,
    effectiveParams: j.effectiveParams,
    datasetId: j.datasetId,
    target: j.target,
    task: j.task,
    features: j.spec.features,
    exclude: j.spec.exclude,
    validation: { ...j.spec.validation },
    preprocessing: { ...(j.spec.preprocessing ?? defaultPreprocessing) },
    execution: j.spec.execution,
    device: j.device,
    metrics: plots ? j.metrics : metricsWithoutPlots(j.metrics),
    validationMetrics: j.validationMetrics,
    cvMetrics: j.cvMetrics,
    trainMetrics: j.trainMetrics,
    classDistribution: j.classDistribution,
    error: j.error,
    modelVersion: j.modelVersion,
    deploymentReady: deploymentReady(j),
    performanceImprovement: j.promotion?.performanceImprovement ?? null,
    retryOf: j.retryOf,
    studyId: j.studyId,
    scheduleId: j.scheduleId,
    workflowId: j.workflowId,
    temporalUrl: temporalUrl(j.workflowId),
    tags: j.tags,
    notes: j.notes,
    label: j.spec.label ?? null,
    description: j.spec.description ?? null,
    createdBy: j.createdBy,
    createdAt: j.createdAt.toISOString(),
    startedAt: j.startedAt?.toISOString() ?? null,
    completedAt: j.completedAt?.toISOString() ?? null,
    durationSeconds: j.startedAt && j.completedAt ? (j.completedAt.getTime() - j.startedAt.getTime()) / 1000 : null,
    estimatedCompletionAt: estimatedCompletion(j, now)?.toISOString() ?? null,
    mode: spec.mode ?? 'full',
    from: spec.from ?? null,
    freezeLayers: spec.freezeLayers ?? 0,
    dataRange: spec.dataRange ?? null,
    deploy: spec.deploy ? { metric: spec.deploy.metric, min: spec.deploy.min ?? null, max: spec.deploy.max ?? null } : null,
  };
}

/** The deploy rule's verdict and a promoting schedule's, both when both were given. */
function deploymentReady(j: TrainingJob): boolean | null {
  const verdicts = [j.deploymentReady, j.promotion?.deploymentReady ?? null].filter((v): v is boolean => v !== null);
  return verdicts.length ? verdicts.every(Boolean) : null;
}

/** Training must have run this long before its pace says anything. */
const MIN_PACE_MS = 2000;

/**
 * A running job's completion at the pace measured since training began: the progress made since then over the time
 * it took, applied to the progress left. Null before training has moved (nothing measured yet) and once the job ends.
 */
export function estimatedCompletion(j: Pick<TrainingJob, 'status' | 'progress' | 'trainStartedAt'>, now: Date): Date | null {
  if (j.status !== 'running' || !j.trainStartedAt) return null;
  const elapsed = now.getTime() - j.trainStartedAt.getTime();
  const done = j.progress - STAGE_PROGRESS.train;
  if (elapsed < MIN_PACE_MS || done <= 0) return null;
  return new Date(now.getTime() + ((1 - j.progress) * elapsed) / done);
}
