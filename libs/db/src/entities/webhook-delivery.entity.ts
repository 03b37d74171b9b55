import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Webhook } from './webhook.entity';

/** The state of one event's delivery to one webhook. */
@Entity({ tableName: 'webhook_deliveries' })
export class WebhookDelivery {
  @ManyToOne(() => Webhook, { primary: true, mapToPk: true, fieldName: 'webhook_id', updateRule: 'no action', deleteRule: 'no action' })
  webhookId!: string;

  /** References events.id, a unique key that is not the primary key (seq is): see the schema-drift test's exceptions. */
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
