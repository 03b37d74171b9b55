import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { TrainyardConfig } from '@trainyard/config';
import { Webhook, loadSecretKey, seal } from '@trainyard/db';
import type { Principal } from '../auth/principal';
import { notFound } from '../common/api-error';
import { WithStatus } from '../common/endpoint';
import { IdempotencyService, requestHash } from '../common/idempotency.service';
import { pageWindow, type Page, type PageQuery } from '../common/schemas';
import { CONFIG } from '../config.token';
import type { WebhookDto, WebhookRequest } from './events.dto';

const toDto = (w: Webhook): WebhookDto => ({ id: w.id, url: w.url, events: w.events, createdBy: w.createdBy, createdAt: w.createdAt.toISOString() });

@Injectable()
export class WebhooksService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CONFIG) private readonly config: TrainyardConfig,
    private readonly idempotency: IdempotencyService,
  ) {}

  submit(principal: Principal, input: WebhookRequest, key: string | undefined): Promise<WithStatus<WebhookDto>> {
    return this.idempotency.run({ route: 'POST /v1/webhooks', key, hash: requestHash(input) }, async () => new WithStatus(201, await this.create(principal, input)));
  }

  async create(principal: Principal, input: WebhookRequest): Promise<WebhookDto> {
    const key = await loadSecretKey(this.config.dataDir);
    const hook = this.em.create(Webhook, { tenantId: principal.tenantId, url: input.url, events: input.events, secretCiphertext: seal(key, input.secret), createdBy: principal.name, createdAt: new Date() });
    await this.em.persistAndFlush(hook);
    return toDto(hook);
  }

  async list(query: PageQuery): Promise<Page<WebhookDto>> {
    const page = pageWindow(query);
    const [items, total] = await this.em.findAndCount(Webhook, { deletedAt: null }, { orderBy: { createdAt: 'desc' }, limit: page.pageSize, offset: page.offset });
    return { items: items.map(toDto), total, page: page.page, pageSize: page.pageSize };
  }

  async remove(id: string): Promise<void> {
    const hook = await this.em.findOne(Webhook, { id, deletedAt: null });
    if (!hook) throw notFound('WEBHOOK', id);
    hook.deletedAt = new Date();
    await this.em.flush();
  }
}
