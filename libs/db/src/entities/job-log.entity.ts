import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { TrainingJob } from './training-job.entity';
import type { Stage } from '@trainyard/contracts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

@Entity({ tableName: 'job_logs' })
@Index({ properties: ['jobId', 'id'] })
export class JobLog {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => TrainingJob, { mapToPk: true, fieldName: 'job_id', updateRule: 'no action', deleteRule: 'cascade' })
  jobId!: string;

  @Property({ type: 'datetime' })
  ts: Date = new Date();

  @Property({ type: 'text' })
  level!: LogLevel;

  @Property({ type: 'text', nullable: true })
  stage: Stage | null = null;

  @Property({ type: 'text' })
  message!: string;

  @Property({ type: 'jsonb', nullable: true })
  data: Record<string, unknown> | null = null;
}
