import { ActivityFailure, proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import { CONTROL_QUEUE, queueName, searchAttributeUpdates } from '@trainyard/contracts';
import type { WebhookActivities } from '../activities';

export interface EventDeliveryInput {
  eventId: string;
  queuePrefix: string;
}

/** Delivers one event to every subscribed webhook, each retried with backoff for about a day before it is given up. */
export async function eventDeliveryWorkflow({ eventId, queuePrefix }: EventDeliveryInput): Promise<void> {
  // Tagged, so the UI's training runs can be listed without the deliveries among them.
  upsertSearchAttributes(searchAttributeUpdates({ kind: 'delivery' }));
  const taskQueue = queueName(CONTROL_QUEUE, queuePrefix);
  const lookup = proxyActivities<WebhookActivities>({ taskQueue, startToCloseTimeout: '30s' });
  const deliver = proxyActivities<WebhookActivities>({
    taskQueue,
    startToCloseTimeout: '30s',
    retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1h', maximumAttempts: 30 },
  });
  const targets = await lookup.webhookTargets({ eventId });
  await Promise.all(
    targets.map(async (webhookId) => {
      try {
        await deliver.deliverWebhook({ eventId, webhookId });
      } catch (err) {
        const reason = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
        await lookup.abandonWebhook({ eventId, webhookId, reason });
      }
    }),
  );
}
