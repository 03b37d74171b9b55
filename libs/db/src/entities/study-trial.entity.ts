import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

export type TrialStatus = 'running' | 'completed' | 'pruned' | 'failed';

@Entity({ tableName: 'study_trials' })
export class StudyTrial {
  @PrimaryKey({ type: 'uuid' })
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
