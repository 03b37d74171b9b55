import { executeChild, proxyActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { CONTROL_QUEUE, queueName, searchAttributeUpdates, type TrainingWorkflowResult } from '@trainyard/contracts';
import type { ScheduleActivities } from '../activities';
import { trainingWorkflow } from './training.workflow';

export interface ScheduledTrainingInput {
  scheduleId: string;
  queuePrefix: string;
}

/** One run of a schedule: a training job on the newest dataset version, then the promotion decision. */
export async function scheduledTrainingWorkflow({ scheduleId, queuePrefix }: ScheduledTrainingInput): Promise<void> {
  upsertSearchAttributes(searchAttributeUpdates({ kind: 'schedule', scheduleId }));
  const taskQueue = queueName(CONTROL_QUEUE, queuePrefix);
  const runs = proxyActivities<ScheduleActivities>({ taskQueue, startToCloseTimeout: '10m', retry: { initialInterval: '2s', backoffCoefficient: 2, maximumAttempts: 10 } });
  // Two triggers in one second get one workflow id from the scheduler; the run id tells their runs apart.
  const { workflowId, firstExecutionRunId } = workflowInfo();
  const planned = await runs.planScheduledRun({ scheduleId, runWorkflowId: workflowId, runId: firstExecutionRunId, queuePrefix });
  if (!planned) return;
  let result: TrainingWorkflowResult | null = null;
  try {
    result = await executeChild(trainingWorkflow, {
      workflowId: planned.workflowId,
      taskQueue,
      args: [planned.input],
      priority: { priorityKey: planned.priorityKey },
      staticSummary: `${planned.input.spec.model.type} retrain by schedule ${scheduleId}`,
    });
  } catch {
    // The job records its own failure or cancellation; a failed run promotes nothing.
  }
  if (result?.status === 'completed' && planned.promote) await runs.evaluatePromotion({ jobId: planned.jobId, scheduleId, comparison: result.comparison });
}
