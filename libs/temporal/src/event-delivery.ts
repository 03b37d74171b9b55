import type { Client } from '@temporalio/client';
import { CONTROL_QUEUE, queueName } from '@trainyard/contracts';

/** Starts an event's delivery workflow (`event-delivery-<eventId>` on the control queue); a second start finds the first. */
export async function startEventDelivery(temporal: Client, input: { eventId: string; queuePrefix: string }): Promise<void> {
  await temporal.workflow
    .start('eventDeliveryWorkflow', {
      workflowId: `event-delivery-${input.eventId}`,
      taskQueue: queueName(CONTROL_QUEUE, input.queuePrefix),
      args: [{ eventId: input.eventId, queuePrefix: input.queuePrefix }],
    })
    .catch((err: unknown) => {
      if (!(err instanceof Error && err.name === 'WorkflowExecutionAlreadyStartedError')) throw err;
    });
}
