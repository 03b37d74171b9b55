/**
 * Issue #4, listing at scale: 100k training_jobs rows in one tenant (inserted with one generate_series statement), then
 * p50/p95 latency of the job list with each filter and sort, a deep page, and GET /v1/experiments, ~200 sequential
 * requests each after a short warm-up. Then EXPLAIN ANALYZE's execution time of the SQL behind the slow ones, so the
 * HTTP figure can be split into database and service time.
 * Needs DATABASE_URL and TEMPORAL_ADDRESS (scripts/bench.mjs provides them). Sizes: BENCH_LISTING_ROWS (100000),
 * BENCH_LISTING_REQUESTS (200),
 * BENCH_LISTING_EXPERIMENTS_REQUESTS (50).
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { ApiClient } from '../test/support/http';
import { binaryCsv } from '../test/support/datasets';
import { startTestStack } from '../test/support/test-stack';
import { runBench } from './support/run-bench';
import { explainAnalyze, seedTrainingJobs } from './support/seed-training-jobs';
import { fmt, percentile, report } from './support/stats';

const ROWS = Number(process.env.BENCH_LISTING_ROWS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_LISTING_REQUESTS ?? 200);
const WARMUP = 10;
/** GET /v1/experiments takes seconds at this size before the fix; fewer requests keep the run short. */
const EXPERIMENTS_REQUESTS = Number(process.env.BENCH_LISTING_EXPERIMENTS_REQUESTS ?? 50);
const EXPERIMENTS = 50;
const TEAMS = 10;
const TARGET_P95_MS = 100;

/** Each query is a function of the request index, so filtered queries rotate over their values. */
const QUERIES: { name: string; path: (i: number) => string; requests?: number }[] = [
  { name: 'floor: ?name=<none> (empty page)', path: () => '/v1/training-jobs?name=no-such-model' },
  { name: 'GET /v1/training-jobs (default)', path: () => '/v1/training-jobs' },
  { name: '?status=failed', path: () => '/v1/training-jobs?status=failed' },
  { name: `?experiment=<one of ${EXPERIMENTS}>`, path: (i) => `/v1/training-jobs?experiment=exp-${i % EXPERIMENTS}` },
  { name: `?tag=team:<one of ${TEAMS}>`, path: (i) => `/v1/training-jobs?tag=team:team-${i % TEAMS}` },
  { name: '?sort=-completedAt', path: () => '/v1/training-jobs?sort=-completedAt' },
  { name: '?page=50 (offset 980)', path: () => '/v1/training-jobs?page=50' },
  { name: 'GET /v1/experiments', path: () => '/v1/experiments', requests: EXPERIMENTS_REQUESTS },
];

/** The statements behind the listings, written out by hand to time them without HTTP. */
function statements(tenantId: string): { name: string; sql: string; params: unknown[] }[] {
  const list = (where: string, order = 'created_at desc, id desc', offset = 0) =>
    `select * from training_jobs where tenant_id = $1 ${where} order by ${order} limit 20 offset ${offset}`;
  return [
    { name: 'list default', sql: list(''), params: [tenantId] },
    { name: 'count default', sql: `select count(*) from training_jobs where tenant_id = $1`, params: [tenantId] },
    { name: 'list status=failed', sql: list(`and status = 'failed'`), params: [tenantId] },
    { name: 'count status=failed', sql: `select count(*) from training_jobs where tenant_id = $1 and status = 'failed'`, params: [tenantId] },
    { name: 'list experiment', sql: list(`and experiment = 'exp-7'`), params: [tenantId] },
    { name: 'list tag', sql: list(`and tags @> '{"team":"team-3"}'::jsonb`), params: [tenantId] },
    { name: 'count tag', sql: `select count(*) from training_jobs where tenant_id = $1 and tags @> '{"team":"team-3"}'::jsonb`, params: [tenantId] },
    { name: 'list sort -completedAt', sql: list('', 'completed_at desc, id desc'), params: [tenantId] },
    { name: 'list page 50', sql: list('', 'created_at desc, id desc', 980), params: [tenantId] },
    {
      name: 'experiments: counts by status',
      sql: `select experiment, count(*)::int, count(*) filter (where status = 'failed')::int, max(created_at) from training_jobs
             where tenant_id = $1 group by experiment order by max(created_at) desc limit 20`,
      params: [tenantId],
    },
    {
      name: 'experiments: best rocAuc (1 of 10 metrics)',
      sql: `select e.experiment, b.id, b.name, b.value from unnest($2::text[]) as e(experiment)
             cross join lateral (select id, name, (metrics->>'rocAuc')::float8 as value from training_jobs
               where tenant_id = $1 and experiment = e.experiment and status = 'completed' and (metrics->>'rocAuc')::float8 is not null
               order by (metrics->>'rocAuc')::float8 desc nulls last, created_at limit 1) b`,
      params: [tenantId, Array.from({ length: 20 }, (_, i) => `exp-${i}`)],
    },
  ];
}

async function timeRequests(api: ApiClient, path: (i: number) => string, requests: number): Promise<{ p50: number; p95: number; total: number }> {
  for (let i = 0; i < Math.min(WARMUP, requests); i++) await api.get(path(i));
  const ms: number[] = [];
  let total = NaN;
  for (let i = 0; i < requests; i++) {
    const t = performance.now();
    const res = await api.get(path(i));
    ms.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`${path(i)} → ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    total = res.body.total;
  }
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), total };
}

async function main(): Promise<void> {
  const stack = await startTestStack({ worker: false });
  try {
    const api = new ApiClient(stack.url, stack.adminToken);
    const dataset = await api.uploadDataset('bench-listing', binaryCsv(100));
    const pg = new Client({ connectionString: stack.config.databaseUrl });
    await pg.connect();
    const { tenant_id: tenantId } = (await pg.query(`select tenant_id from datasets where id = $1`, [dataset.body.id])).rows[0];
    await pg.end();

    const t0 = performance.now();
    await seedTrainingJobs(stack.config.databaseUrl, tenantId, dataset.body.id, { rows: ROWS, experiments: EXPERIMENTS, names: 200, teams: TEAMS });
    console.log(`\njob listing: ${ROWS} jobs in one tenant (seeded in ${fmt((performance.now() - t0) / 1000, 1)} s), ${REQUESTS} sequential requests per query`);
    console.log(`${'query'.padEnd(46)} ${'p50 / p95 (ms)'.padStart(14)}   target p95 ≤ ${TARGET_P95_MS}`);
    const slow: string[] = [];
    for (const q of QUERIES) {
      const r = await timeRequests(api, q.path, q.requests ?? REQUESTS);
      report(`${q.name}${q.requests ? ` (${q.requests} req)` : ''}`, `${fmt(r.p50, 1)} / ${fmt(r.p95, 1)}`, r.p95 > TARGET_P95_MS ? `${TARGET_P95_MS} ✗ (total ${r.total})` : `${TARGET_P95_MS} ✓ (total ${r.total})`);
      if (r.p95 > TARGET_P95_MS) slow.push(q.name);
    }

    console.log('\nEXPLAIN ANALYZE execution time of the SQL behind them (one run, warm cache)');
    for (const s of statements(tenantId)) {
      const plan = await explainAnalyze(stack.config.databaseUrl, s.sql, s.params);
      const exec = plan.find((l) => l.startsWith('Execution Time'))?.replace(/[^0-9.]/g, '') ?? 'NaN';
      const access = plan.find((l) => /Scan|Sort/.test(l))?.trim().replace(/\s+\(cost.*$/, '') ?? '';
      report(s.name, `${fmt(Number(exec), 1)} ms`, undefined);
      if (process.env.BENCH_LISTING_PLANS === '1') for (const l of plan) console.log(`    ${l}`);
      else console.log(`    ${access.slice(0, 100)}`);
    }
    if (slow.length) console.log(`\nover ${TARGET_P95_MS} ms p95: ${slow.join('; ')}`);
  } finally {
    await stack.stop();
  }
}

runBench(main);
