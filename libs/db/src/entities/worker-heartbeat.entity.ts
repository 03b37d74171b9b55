import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A worker's advertisement of one compute queue it serves, refreshed every few seconds. */
@Entity({ tableName: 'worker_heartbeats' })
export class WorkerHeartbeat {
  @PrimaryKey({ type: 'text' })
  identity!: string;

  @PrimaryKey({ type: 'text' })
  taskQueue!: string;

  @Property({ type: 'text' })
  device!: 'cpu' | 'gpu';

  @Property({ type: 'integer' })
  slots!: number;

  @Property({ type: 'integer' })
  busy!: number;

  @Property({ type: 'text', nullable: true })
  gpuName: string | null = null;

  /** GPU rows: the model families this worker can train on its GPU (null from workers that predate the column). */
  @Property({ type: 'jsonb', nullable: true })
  gpuFamilies: string[] | null = null;

  @Property({ type: 'datetime' })
  lastSeenAt: Date = new Date();
}
