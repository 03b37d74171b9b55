import type { EntityManager } from '@mikro-orm/postgresql';
import { METRIC_DIRECTIONS } from '@trainyard/contracts';
import { TENANT, sqlFragment, tenantSql } from '../tenancy/tenant-scope';

export interface ExperimentCounts {
  experiment: string;
  total: number;
  queued: number;
  running: number;
  completed: number;
  failed: number;
  cancelled: number;
  lastJobAt: Date;
}

export interface BestJob {
  jobId: string;
  name: string;
  value: number;
}

/**
 * Experiment summaries in raw SQL, kept because they are served from dedicated indexes (migrations 030000 and
 * 040000): one grouped index-only pass for the counts, one index probe per experiment and metric for the best job.
 * Scoped to the EntityManager's tenant.
 */
export class ExperimentStore {
  constructor(private readonly em: EntityManager) {}

  /** A page of experiments, most recently used first, and how many there are in all. */
  async page(limit: number, offset: number): Promise<{ rows: ExperimentCounts[]; total: number }> {
    const sql = tenantSql(this.em);
    const rows = await sql<Omit<ExperimentCounts, 'lastJobAt'> & { last_job_at: Date; experiments: number }>`
      select experiment, count(*)::int as total,
             count(*) filter (where status = 'queued')::int as queued,
             count(*) filter (where status = 'running')::int as running,
             count(*) filter (where status = 'completed')::int as completed,
             count(*) filter (where status = 'failed')::int as failed,
             count(*) filter (where status = 'cancelled')::int as cancelled,
             max(created_at) as last_job_at,
             (count(*) over ())::int as experiments
        from training_jobs where tenant_id = ${TENANT}
       group by experiment order by max(created_at) desc, experiment limit ${limit} offset ${offset}`;
    // A page past the end has no row to carry the count.
    const total = rows[0]?.experiments ?? (offset > 0 ? (await sql<{ total: number }>`select count(distinct experiment)::int as total from training_jobs where tenant_id = ${TENANT}`)[0].total : 0);
    return { rows: rows.map(({ last_job_at, experiments: _n, ...r }) => ({ ...r, lastJobAt: new Date(last_job_at) })), total };
  }

  /**
   * The best completed job per experiment and metric, by the metric's direction (earliest on ties), in one statement:
   * per metric, a top-1 probe per experiment on that metric's partial index. Metric names come from METRIC_DIRECTIONS.
   */
  async bestJobs(experiments: string[]): Promise<Map<string, Record<string, BestJob>>> {
    const result = new Map<string, Record<string, BestJob>>();
    if (experiments.length === 0) return result;
    const sql = tenantSql(this.em);
    const experimentList = `(values ${experiments.map(() => '(?)').join(', ')}) as e(experiment)`;
    const probes = Object.entries(METRIC_DIRECTIONS).map(([metric, direction]) => {
      const value = `(metrics->>'${metric}')::float8`;
      return sqlFragment(
        `select e.experiment, '${metric}' as metric, b.id, b.name, b.value
           from ${experimentList}
           cross join lateral (
             select id, name, ${value} as value from training_jobs
              where tenant_id = ? and experiment = e.experiment and status = 'completed' and ${value} is not null
              order by ${value} ${direction === 'max' ? 'desc' : 'asc'} nulls last, created_at limit 1) b`,
        [...experiments, TENANT],
      );
    });
    const union = sqlFragment(probes.map((p) => p.text).join('\n union all\n'), probes.flatMap((p) => p.params));
    const rows = await sql<{ experiment: string; metric: string; id: string; name: string; value: number }>`${union}`;
    for (const row of rows) {
      const best = result.get(row.experiment) ?? {};
      best[row.metric] = { jobId: row.id, name: row.name, value: row.value };
      result.set(row.experiment, best);
    }
    return result;
  }
}
