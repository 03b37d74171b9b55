import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Study } from './study.entity';

export type TrialStatus = 'running' | 'completed' | 'pruned' | 'failed';

@Entity({ tableName: 'study_trials' })
export class StudyTrial {
  @ManyToOne(() => Study, { primary: true, mapToPk: true, fieldName: 'study_id', updateRule: 'no action', deleteRule: 'cascade' })
  studyId!: string;

  @PrimaryKey({ type: 'integer' })
  number!: number;

  @Property({ type: 'text' })
  status: TrialStatus = 'running';

  @Property({ type: 'jsonb' })
  params!: Record<string, unknown>;

  @Property({ type: 'double', nullable: true })
  value: number | null = null;

  @Property({ type: 'uuid' })
  jobId!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  completedAt: Date | null = null;
}
