import { createHmac } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WebhookTargetRefusedError } from '@trainyard/config';
import { TrainyardEvent, Webhook, WebhookDelivery, loadSecretKey, unseal } from '@trainyard/db';
import type { ActivityDeps } from './activity-deps';
import { postWebhook } from './webhook-request';

const DELIVERY_TIMEOUT_MS = 10_000;

/** The body webhooks receive; the signature covers exactly these bytes. */
export function eventBody(event: TrainyardEvent): string {
  return JSON.stringify({ eventId: event.id, type: event.type, timestamp: event.createdAt.toISOString(), data: event.data });
}

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Webhook delivery: at least once per (event, webhook), retried with backoff by the delivery workflow. */
export function createWebhookActivities(deps: ActivityDeps) {
  let key: Promise<Buffer> | undefined;
  const secretKey = () => (key ??= loadSecretKey(deps.config.dataDir));

  return {
    /** The live webhooks subscribed to this event's type. */
    async webhookTargets(input: { eventId: string }): Promise<string[]> {
      const em = deps.orm.em.fork();
      const event = await em.findOne(TrainyardEvent, { id: input.eventId });
      if (!event) return [];
      const hooks = await em.find(Webhook, { tenantId: event.tenantId, deletedAt: null });
      return hooks.filter((h) => h.events.includes(event.type)).map((h) => h.id);
    },

    async deliverWebhook(input: { eventId: string; webhookId: string }): Promise<{ status: number }> {
      const em = deps.orm.em.fork();
      const [event, hook] = await Promise.all([em.findOne(TrainyardEvent, { id: input.eventId }), em.findOne(Webhook, { id: input.webhookId })]);
      if (!event || !hook || hook.deletedAt) return { status: 0 };
      const body = eventBody(event);
      const { attempt } = Context.current().info;
      let status = 0;
      let error: string | null = null;
      let refused = false;
      try {
        const headers = {
          'content-type': 'application/json',
          'user-agent': 'Trainyard-Webhooks/1',
          'trainyard-event': event.type,
          'trainyard-delivery': event.id,
          'trainyard-signature': signature(unseal(await secretKey(), hook.secretCiphertext), body),
        };
        status = await postWebhook(hook.url, body, headers, { allowPrivate: deps.config.webhookAllowPrivate, timeoutMs: DELIVERY_TIMEOUT_MS });
        if (status < 200 || status >= 300) error = `HTTP ${status}`;
      } catch (err) {
        refused = err instanceof WebhookTargetRefusedError;
        error = err instanceof Error ? err.message : String(err);
      }
      await em.getConnection().execute(
        `insert into webhook_deliveries (webhook_id, event_id, status, attempts, last_status_code, last_error, delivered_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, now())
         on conflict (webhook_id, event_id) do update set status = excluded.status, attempts = excluded.attempts,
           last_status_code = excluded.last_status_code, last_error = excluded.last_error, delivered_at = excluded.delivered_at, updated_at = now()`,
        [hook.id, event.id, error ? 'pending' : 'delivered', attempt, status || null, error, error ? null : new Date()],
      );
      // A target the policy refuses (its name now points somewhere forbidden) is given up at once, not retried.
      if (refused) throw ApplicationFailure.nonRetryable(`delivery to ${new URL(hook.url).host} refused: ${error}`, 'WEBHOOK_TARGET_REFUSED');
      if (error) throw new Error(`delivery to ${new URL(hook.url).host} failed: ${error}`);
      return { status };
    },

    /** Marks a delivery given up after its last retry. */
    async abandonWebhook(input: { eventId: string; webhookId: string; reason: string }): Promise<void> {
      await deps.orm.em.fork().nativeUpdate(WebhookDelivery, { webhookId: input.webhookId, eventId: input.eventId }, { status: 'failed', lastError: input.reason, updatedAt: new Date() });
    },
  };
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
