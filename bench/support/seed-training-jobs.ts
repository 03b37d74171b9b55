import { Client } from 'pg';

export interface SeedShape {
  rows: number;
  experiments: number;
  names: number;
  teams: number;
}

/**
 * Inserts `rows` finished-looking training jobs for one tenant in a single generate_series statement: a skewed spread
 * of experiments (a few busy, many quiet), ~80% completed / 12% failed / 6% cancelled / 1% running / 1% queued, five
 * model types, a `team` and an `env` tag, created over the last year, metrics on completed jobs.
 */
export async function seedTrainingJobs(databaseUrl: string, tenantId: string, datasetId: string, shape: SeedShape): Promise<void> {
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  try {
    await pg.query(
      `with g as (
         select i, random() as r_status, random() as r_exp, random() as r_age, random() as r_run, random() as r_metric,
                (array['xgboost','lightgbm','random_forest','linear','mlp'])[1 + (i % 5)] as model_type
           from generate_series(1, $3::int) as i
       ), s as (
         select g.*,
                case when r_status < 0.80 then 'completed' when r_status < 0.92 then 'failed' when r_status < 0.98 then 'cancelled'
                     when r_status < 0.99 then 'running' else 'queued' end as status,
                'exp-' || floor($4::int * power(r_exp, 2))::int as experiment,
                now() - r_age * interval '365 days' as created_at
           from g
       )
       insert into training_jobs (id, tenant_id, name, experiment, dataset_id, target, task, model_type, spec, status, stage, progress,
                                  priority, device, metrics, validation_metrics, error, workflow_id, tags, created_by, created_at,
                                  started_at, completed_at)
       select gen_random_uuid(), $1::uuid, 'model-' || (i % $5::int), experiment, $2::uuid, 'label', 'classification', model_type,
              jsonb_build_object('name', 'model-' || (i % $5::int), 'experiment', experiment, 'datasetId', $2::text, 'target', 'label',
                                 'task', 'classification', 'features', null, 'exclude', '[]'::jsonb, 'priority', 'normal',
                                 'model', jsonb_build_object('type', model_type, 'params', jsonb_build_object('numRounds', 100 + i % 400)),
                                 'validation', jsonb_build_object('method', 'holdout', 'testSize', 0.2, 'seed', 42),
                                 'execution', jsonb_build_object('device', 'auto', 'requireGpu', false)),
              status,
              case when status = 'running' then 'train' end,
              case when status = 'completed' then 1 when status = 'running' then 0.5 else 0 end,
              'normal',
              case when status <> 'queued' then 'cpu' end,
              case when status = 'completed' then jsonb_build_object('rocAuc', 0.6 + r_metric * 0.39, 'accuracy', 0.55 + r_metric * 0.4,
                   'f1', 0.5 + r_metric * 0.45, 'logLoss', 0.7 - r_metric * 0.6, 'precision', 0.5 + r_metric * 0.4, 'recall', 0.5 + r_metric * 0.4) end,
              case when status = 'completed' then jsonb_build_object('rocAuc', 0.6 + r_metric * 0.38) end,
              case when status = 'failed' then jsonb_build_object('code', 'TRAINING_FAILED', 'message', 'bench row') end,
              'training-job-bench-' || i,
              jsonb_build_object('team', 'team-' || (i % $6::int), 'env', (array['dev','staging','prod'])[1 + i % 3]),
              'bench',
              created_at,
              case when status <> 'queued' then created_at + interval '2 seconds' end,
              case when status in ('completed','failed','cancelled') then created_at + (2 + r_run * 600) * interval '1 second' end
         from s`,
      [tenantId, datasetId, shape.rows, shape.experiments, shape.names, shape.teams],
    );
    // Steady state: autovacuum would have set the visibility map by now, so index-only scans skip the heap.
    await pg.query('vacuum analyze training_jobs');
  } finally {
    await pg.end();
  }
}

/** EXPLAIN (ANALYZE, BUFFERS) of a statement, as text lines. */
export async function explainAnalyze(databaseUrl: string, sql: string, params: unknown[]): Promise<string[]> {
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  try {
    const res = await pg.query(`explain (analyze, buffers) ${sql}`, params);
    return res.rows.map((r: Record<string, string>) => r['QUERY PLAN']);
  } finally {
    await pg.end();
  }
}
