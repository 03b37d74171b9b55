import { metricsWithoutPlots } from '@trainyard/contracts';
import { EventStore, type EventType, type TrainingJob } from '@trainyard/db';
import { startEventDelivery } from '@trainyard/temporal';
import type { ActivityDeps } from './activity-deps';

/** The payload API.md gives for training events, with the validation metrics and, for a study's trial, its study and number. */
export function trainingEventData(job: TrainingJob): Record<string, unknown> {
  return {
    jobId: job.id,
    status: job.status,
    modelName: job.modelVersion?.name ?? job.name,
    modelVersion: job.modelVersion?.version ?? null,
    modelType: job.modelType,
    durationSeconds: job.startedAt && job.completedAt ? (job.completedAt.getTime() - job.startedAt.getTime()) / 1000 : null,
    // Plot points stay on the job: a webhook gets the numbers.
    metrics: metricsWithoutPlots(job.metrics),
    validationMetrics: job.validationMetrics,
    error: job.error,
    // With a deploy rule, whether the test metrics met it; without one, every completed job is.
    deploymentReady: job.status === 'completed' && (job.deploymentReady ?? true),
    performanceImprovement: null,
    ...(job.studyId ? { studyId: job.studyId, trialNumber: Number(job.tags.trial) } : {}),
  };
}

/** Whether a live webhook of the tenant listens for `type`: an event nobody listens for needs no delivery workflow. */
export function hasSubscribers(deps: ActivityDeps, tenantId: string, type: EventType): Promise<boolean> {
  return new EventStore(deps.orm.em.fork()).hasSubscribers(tenantId, type);
}

/** Starts the event's delivery workflow when someone listens (a retried start finds the same delivery). */
export async function startDeliveryIfSubscribed(deps: ActivityDeps, tenantId: string, type: EventType, eventId: string): Promise<void> {
  if (await hasSubscribers(deps, tenantId, type)) await startEventDelivery(deps.temporal, { eventId, queuePrefix: deps.config.queuePrefix });
}
