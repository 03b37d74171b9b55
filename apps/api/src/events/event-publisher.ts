import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { TrainyardConfig } from '@trainyard/config';
import { EventStore, type EventType } from '@trainyard/db';
import { startEventDelivery } from '@trainyard/temporal';
import { CONFIG, TEMPORAL_CLIENT } from '../config.token';

/** Events the API itself announces (a manual alias move), recorded once and delivered as the worker's are. */
@Injectable()
export class EventPublisher {
  private readonly logger = new Logger('events');

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: TrainyardConfig,
  ) {}

  /** Records the event through `em` (inside its transaction when it has one); returns its id. */
  record(em: EntityManager, tenantId: string, type: EventType, dedupeKey: string, data: Record<string, unknown>): Promise<string> {
    return new EventStore(em).record(tenantId, type, dedupeKey, data);
  }

  /**
   * Starts the event's delivery workflow when a live webhook of the tenant listens for its type. The event is already
   * committed: a Temporal outage loses the push, not the event, which polling (`GET /v1/events`) still shows.
   */
  async deliver(em: EntityManager, tenantId: string, type: EventType, eventId: string): Promise<void> {
    try {
      if (await new EventStore(em).hasSubscribers(tenantId, type)) await startEventDelivery(this.temporal, { eventId, queuePrefix: this.config.queuePrefix });
    } catch (err) {
      this.logger.warn(`could not start the delivery of event ${eventId}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
