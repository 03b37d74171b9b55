import { Controller } from '@nestjs/common';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { Endpoint, In, type Input } from '../common/endpoint';
import { createWebhook, deleteWebhook, listEvents, listWebhooks } from './events.dto';
import { EventsService } from './events.service';
import { WebhooksService } from './webhooks.service';

@Controller()
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly webhooks: WebhooksService,
  ) {}

  @Endpoint(listEvents)
  list(@In() { query }: Input<typeof listEvents>) {
    return this.events.list(query);
  }

  @Endpoint(createWebhook)
  createWebhook(@CurrentPrincipal() principal: Principal, @In() input: Input<typeof createWebhook>) {
    return this.webhooks.submit(principal, input.body, input.idempotencyKey);
  }

  @Endpoint(listWebhooks)
  listWebhooks(@In() { query }: Input<typeof listWebhooks>) {
    return this.webhooks.list(query);
  }

  @Endpoint(deleteWebhook)
  deleteWebhook(@In() { params }: Input<typeof deleteWebhook>) {
    return this.webhooks.remove(params.id);
  }
}
