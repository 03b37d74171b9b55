import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { TrainyardConfig } from '@trainyard/config';
import { EVENT_TYPES, Webhook, loadSecretKey, seal, type EventType } from '@trainyard/db';
import type { Principal } from '../auth/principal';
import { ApiError, validationFailed, type FieldError } from '../common/api-error';
import type { Page, PageQuery } from '../common/pagination';
import { CONFIG } from '../config.token';

export interface WebhookInput {
  url: string;
  events: EventType[];
  secret: string;
}

export function parseWebhook(body: unknown): WebhookInput {
  const b = (body ?? {}) as Record<string, unknown>;
  const errors: FieldError[] = [];
  let url: URL | null = null;
  try {
    url = new URL(String(b.url));
  } catch {
    // reported below
  }
  if (!url || !['http:', 'https:'].includes(url.protocol)) errors.push({ field: 'url', message: 'must be an http or https URL' });
  const events = b.events;
  if (!Array.isArray(events) || events.length === 0 || events.some((e) => !EVENT_TYPES.includes(e as EventType))) {
    errors.push({ field: 'events', message: `a non-empty list of ${EVENT_TYPES.join(', ')}` });
  }
  if (typeof b.secret !== 'string' || b.secret.length < 16 || b.secret.length > 256) errors.push({ field: 'secret', message: 'a string of 16 to 256 characters used to sign deliveries' });
  if (errors.length) throw validationFailed(errors);
  return { url: url!.toString(), events: [...new Set(events as EventType[])], secret: b.secret as string };
}

const toResponse = (w: Webhook) => ({ id: w.id, url: w.url, events: w.events, createdBy: w.createdBy, createdAt: w.createdAt.toISOString() });

@Injectable()
export class WebhooksService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CONFIG) private readonly config: TrainyardConfig,
  ) {}

  async create(principal: Principal, input: WebhookInput) {
    const key = await loadSecretKey(this.config.dataDir);
    const hook = this.em.create(Webhook, { tenantId: principal.tenantId, url: input.url, events: input.events, secretCiphertext: seal(key, input.secret), createdBy: principal.name, createdAt: new Date() });
    await this.em.persistAndFlush(hook);
    return toResponse(hook);
  }

  async list(principal: Principal, page: PageQuery): Promise<Page<ReturnType<typeof toResponse>>> {
    const [items, total] = await this.em.findAndCount(Webhook, { tenantId: principal.tenantId, deletedAt: null }, { orderBy: { createdAt: 'desc' }, limit: page.pageSize, offset: page.offset });
    return { items: items.map(toResponse), total, page: page.page, pageSize: page.pageSize };
  }

  async remove(principal: Principal, id: string): Promise<void> {
    const hook = await this.em.findOne(Webhook, { id, tenantId: principal.tenantId, deletedAt: null });
    if (!hook) throw new ApiError('WEBHOOK_NOT_FOUND', `webhook ${id} was not found`);
    hook.deletedAt = new Date();
    await this.em.flush();
  }
}
