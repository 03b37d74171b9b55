import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { TrainyardConfig } from '@trainyard/config';
import { CONTROL_QUEUE, queueName } from '@trainyard/contracts';
import type { retentionWorkflow } from '../../../../workflows';

export function retentionScheduleId(config: TrainyardConfig): string {
  return `${config.queuePrefix}trainyard-retention`;
}

export function retentionArgs(config: TrainyardConfig): Parameters<typeof retentionWorkflow> {
  return [{ queuePrefix: config.queuePrefix, ...config.retention }];
}

/** Creates the daily cleanup schedule once per deployment; later starts find it and update its policy. */
export async function ensureRetentionSchedule(client: Client, config: TrainyardConfig): Promise<void> {
  const options = {
    scheduleId: retentionScheduleId(config),
    spec: { cronExpressions: [config.retention.cron], timezone: 'UTC' },
    action: {
      type: 'startWorkflow' as const,
      workflowType: 'retentionWorkflow',
      workflowId: `${config.queuePrefix}trainyard-retention-run`,
      taskQueue: queueName(CONTROL_QUEUE, config.queuePrefix),
      args: retentionArgs(config),
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
  };
  try {
    await client.schedule.create(options);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(options.scheduleId).update((previous) => ({ ...previous, spec: options.spec, action: options.action }));
  }
}
