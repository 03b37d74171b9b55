import type { TrainingSpec } from '@trainyard/contracts';
import { TrainingJob } from '../entities';

export interface NewJob {
  tenantId: string;
  spec: TrainingSpec;
  tags: Record<string, string>;
  notes: string | null;
  createdBy: string;
  retryOf?: string | null;
  scheduleId?: string | null;
  studyId?: string | null;
}

export function workflowIdFor(jobId: string): string {
  return `training-job-${jobId}`;
}

/** A queued job row for `spec`, with its workflow id; the caller persists it and starts the workflow. */
export function buildTrainingJob(job: NewJob): TrainingJob {
  const { spec } = job;
  const entity = Object.assign(new TrainingJob(), {
    tenantId: job.tenantId,
    name: spec.name,
    experiment: spec.experiment,
    datasetId: spec.datasetId,
    target: spec.target,
    task: spec.task,
    modelType: spec.model.type,
    spec,
    priority: spec.priority,
    tags: job.tags,
    notes: job.notes,
    retryOf: job.retryOf ?? null,
    scheduleId: job.scheduleId ?? null,
    studyId: job.studyId ?? null,
    createdBy: job.createdBy,
    createdAt: new Date(),
  } satisfies Partial<TrainingJob>);
  entity.workflowId = workflowIdFor(entity.id);
  return entity;
}
