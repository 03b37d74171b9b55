import { Migration } from '@mikro-orm/migrations';

/**
 * GET /v1/experiments shows each experiment's best completed job per metric: one small index per metric, in the
 * metric's own direction, turns each "best" into a single index probe instead of a sort of the experiment's jobs.
 */
const METRICS: [string, 'max' | 'min'][] = [
  ['accuracy', 'max'],
  ['precision', 'max'],
  ['recall', 'max'],
  ['f1', 'max'],
  ['rocAuc', 'max'],
  ['logLoss', 'min'],
  ['mae', 'min'],
  ['rmse', 'min'],
  ['mape', 'min'],
  ['r2', 'max'],
];

export class Migration20261122040000 extends Migration {
  override async up(): Promise<void> {
    for (const [metric, direction] of METRICS) {
      const order = direction === 'max' ? 'desc nulls last' : 'asc nulls last';
      this.addSql(
        `create index "training_jobs_best_${metric.toLowerCase()}_index" on "training_jobs" ("tenant_id", "experiment", ((metrics->>'${metric}')::float8) ${order}, "created_at") where status = 'completed';`,
      );
    }
  }

  override async down(): Promise<void> {
    for (const [metric] of METRICS) this.addSql(`drop index if exists "training_jobs_best_${metric.toLowerCase()}_index";`);
  }
}
