import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import { CONTROL_QUEUE, queueName, searchAttributeUpdates } from '@trainyard/contracts';
import type { RetentionActivities } from '../activities';

export interface RetentionInput {
  queuePrefix: string;
  completedJobDays: number;
  failedJobDays: number;
  logDays: number;
}

/** The scheduled cleanup: old jobs and log lines go, anything a model version depends on stays. */
export async function retentionWorkflow({ queuePrefix, ...policy }: RetentionInput) {
  upsertSearchAttributes(searchAttributeUpdates({ kind: 'retention' }));
  const { applyRetention } = proxyActivities<RetentionActivities>({
    taskQueue: queueName(CONTROL_QUEUE, queuePrefix),
    startToCloseTimeout: '30m',
    retry: { initialInterval: '10s', backoffCoefficient: 2, maximumAttempts: 5 },
  });
  return applyRetention(policy);
}
