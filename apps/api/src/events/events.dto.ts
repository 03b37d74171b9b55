import { EVENT_TYPES } from '@trainyard/db';
import { z } from 'zod';
import { byIdEndpoint, createEndpoint, endpoint, listEndpoint } from '../common/endpoint';
import { JsonObject, Timestamp, Uuid, queryEnum, queryInt, queryText } from '../common/schemas';

export const EventDto = z
  .strictObject({
    eventId: Uuid,
    type: z.enum(EVENT_TYPES),
    timestamp: Timestamp,
    data: JsonObject.meta({ description: 'jobId, modelName, modelVersion, modelType, durationSeconds, metrics, deploymentReady, performanceImprovement (by type)' }),
  })
  .meta({ id: 'Event' });
export type EventDto = z.output<typeof EventDto>;

export const WebhookRequest = z
  .strictObject({
    url: z
      .string()
      .max(2000)
      .refine((raw) => {
        try {
          return ['http:', 'https:'].includes(new URL(raw).protocol);
        } catch {
          return false;
        }
      }, 'must be an http or https URL')
      .transform((raw) => new URL(raw).toString()),
    events: z
      .array(z.enum(EVENT_TYPES), `a non-empty list of ${EVENT_TYPES.join(', ')}`)
      .min(1, `a non-empty list of ${EVENT_TYPES.join(', ')}`)
      .transform((e) => [...new Set(e)]),
    secret: z.string().min(16, 'a string of 16 to 256 characters used to sign deliveries').max(256, 'a string of 16 to 256 characters used to sign deliveries').meta({
      description: 'deliveries carry Trainyard-Signature: sha256=<hex HMAC of the body with this secret>',
    }),
  })
  .meta({ id: 'WebhookRequest', example: { url: 'https://hooks.example.com/trainyard', events: ['training.completed', 'model.promoted'], secret: 'a-long-shared-secret' } });
export type WebhookRequest = z.output<typeof WebhookRequest>;

export const WebhookDto = z
  .strictObject({ id: Uuid, url: z.string(), events: z.array(z.enum(EVENT_TYPES)), createdBy: z.string(), createdAt: Timestamp })
  .meta({ id: 'Webhook' });
export type WebhookDto = z.output<typeof WebhookDto>;

export const listEvents = endpoint({
  method: 'get',
  path: '/v1/events',
  tag: 'events',
  summary: 'Events after a given one, oldest first, for polling',
  role: 'viewer',
  query: z.strictObject({
    after: queryText('an event id: only events recorded after it'),
    limit: queryInt(1, 1000, 100, 'events, 1 to 1000'),
    type: queryEnum(EVENT_TYPES, 'only events of this type'),
  }),
  status: 200,
  responseDescription: 'the events',
  response: z.strictObject({ items: z.array(EventDto) }).meta({ id: 'Events' }),
  errors: [],
});

export const createWebhook = createEndpoint({
  path: '/v1/webhooks',
  tag: 'events',
  summary: 'Subscribe a URL to events',
  description:
    'Deliveries are POSTs of { eventId, type, timestamp, data }, signed, retried with backoff. A URL with credentials, or whose host is (or resolves to) a link-local or cloud metadata address, is 400; so is a loopback or private one unless the deployment sets TRAINYARD_WEBHOOK_ALLOW_PRIVATE=true. Delivery checks the resolved address again before it connects.',
  role: 'admin',
  body: WebhookRequest,
  responseDescription: 'the webhook (without its secret)',
  response: WebhookDto,
  errors: [],
});

export const listWebhooks = listEndpoint({ path: '/v1/webhooks', tag: 'events', summary: 'List webhooks', role: 'admin', item: WebhookDto });

export const deleteWebhook = byIdEndpoint({
  method: 'delete',
  path: '/v1/webhooks/{id}',
  tag: 'events',
  summary: 'Delete a webhook',
  role: 'admin',
  resource: 'WEBHOOK',
  status: 204,
  responseDescription: 'deleted',
  response: null,
  errors: [],
});
