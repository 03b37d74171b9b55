import { defaultPreprocessing } from '@trainyard/contracts';
import type { TrainingJob } from '@trainyard/db';
import type { TrainingJobDto } from './training-job.dto';

/** The job as the API shows it. */
export function toJobDto(j: TrainingJob): TrainingJobDto {
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
    metrics: j.metrics,
    validationMetrics: j.validationMetrics,
    cvMetrics: j.cvMetrics,
    error: j.error,
    modelVersion: j.modelVersion,
    deploymentReady: j.promotion?.deploymentReady ?? null,
    performanceImprovement: j.promotion?.performanceImprovement ?? null,
    retryOf: j.retryOf,
    studyId: j.studyId,
    scheduleId: j.scheduleId,
    workflowId: j.workflowId,
    tags: j.tags,
    notes: j.notes,
    label: j.spec.label ?? null,
    description: j.spec.description ?? null,
    createdBy: j.createdBy,
    createdAt: j.createdAt.toISOString(),
    startedAt: j.startedAt?.toISOString() ?? null,
    completedAt: j.completedAt?.toISOString() ?? null,
    durationSeconds: j.startedAt && j.completedAt ? (j.completedAt.getTime() - j.startedAt.getTime()) / 1000 : null,
  };
}
