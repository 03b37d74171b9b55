import { Entity, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { TrainingJob } from './training-job.entity';

/** One value of a metric series (e.g. validation.logLoss at boosting round `step`). */
@Entity({ tableName: 'metric_points' })
@Unique({ properties: ['jobId', 'name', 'step'] })
export class MetricPoint {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => TrainingJob, { mapToPk: true, fieldName: 'job_id', updateRule: 'no action', deleteRule: 'cascade' })
  jobId!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'integer' })
  step!: number;

  @Property({ type: 'double' })
  value!: number;

  @Property({ type: 'datetime' })
  ts: Date = new Date();
}
