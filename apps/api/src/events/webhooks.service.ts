import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { isIP } from 'node:net';
import { WebhookTargetRefusedError, checkResolvedHost, hostOf, webhookUrlProblem, type TrainyardConfig } from '@trainyard/config';
import { Webhook, loadSecretKey, seal } from '@trainyard/db';
import type { Principal } from '../auth/principal';
import { notFound, validationFailed } from '../common/api-error';
import { WithStatus } from '../common/endpoint';
import { IdempotencyService, requestHash } from '../common/idempotency.service';
import { pageWindow, type Page, type PageQuery } from '../common/schemas';
import { CONFIG } from '../config.token';
import type { WebhookDto, WebhookRequest } from './events.dto';

/** How long creating a webhook waits for its name to resolve before leaving the check to delivery. */
const RESOLVE_WAIT_MS = 3000;

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
    await this.checkTarget(new URL(input.url));
    const key = await loadSecretKey(this.config.dataDir);
    const hook = this.em.create(Webhook, { tenantId: principal.tenantId, url: input.url, events: input.events, secretCiphertext: seal(key, input.secret), createdBy: principal.name, createdAt: new Date() });
    await this.em.persistAndFlush(hook);
    return toDto(hook);
  }

  /**
   * Refuses a target the deployment's policy forbids (libs/config webhook-targets): by its URL, then by every address
   * its name resolves to now. A name that does not resolve yet is accepted; delivery checks again before it connects.
   */
  private async checkTarget(url: URL): Promise<void> {
    const problem = webhookUrlProblem(url, this.config.webhookAllowPrivate);
    if (problem) throw validationFailed([{ field: 'url', message: problem }]);
    const host = hostOf(url);
    if (isIP(host)) return;
    try {
      await Promise.race([checkResolvedHost(host, this.config.webhookAllowPrivate), new Promise((resolve) => setTimeout(resolve, RESOLVE_WAIT_MS).unref())]);
    } catch (err) {
      if (err instanceof WebhookTargetRefusedError) throw validationFailed([{ field: 'url', message: err.message }]);
    }
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
