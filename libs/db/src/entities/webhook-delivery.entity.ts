import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** The state of one event's delivery to one webhook. */
@Entity({ tableName: 'webhook_deliveries' })
export class WebhookDelivery {
  @PrimaryKey({ type: 'uuid' })
  webhookId!: string;

  @PrimaryKey({ type: 'uuid' })
  eventId!: string;

  @Property({ type: 'text' })
  status: 'pending' | 'delivered' | 'failed' = 'pending';

  @Property({ type: 'integer' })
  attempts = 0;

  @Property({ type: 'integer', nullable: true })
  lastStatusCode: number | null = null;

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Property({ type: 'datetime', nullable: true })
  deliveredAt: Date | null = null;

  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}
