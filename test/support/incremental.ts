import type { ApiClient } from './http';
import { rng } from './datasets';

/**
 * Rows of one fixed binary task (so older and newer rows come from the same distribution): the label depends on an
 * interaction, a curve, a category and a linear term, with label noise, so more rows and more trees both help.
 */
export function steadyBinaryRows(rows: number, seed: number): { x1: number; x2: number; x3: number; x4: number; segment: string; label: number }[] {
  const r = rng(seed);
  return Array.from({ length: rows }, () => {
    const [x1, x2, x3, x4] = [r() * 4 - 2, r() * 4 - 2, r() * 4 - 2, r() * 4 - 2].map((v) => Number(v.toFixed(4)));
    const segment = ['a', 'b', 'c', 'd'][Math.floor(r() * 4)];
    const score = x1 * x2 + 1.5 * Math.sin(2 * x3) + (segment === 'a' ? 0.8 : segment === 'd' ? -0.6 : 0) - 0.4 * x4 + (r() - 0.5) * 1.6;
    return { x1, x2, x3, x4, segment, label: score > 0 ? 1 : 0 };
  });
}

export function rowsCsv(rows: Record<string, string | number>[]): string {
  const header = Object.keys(rows[0]);
  return [header.join(','), ...rows.map((row) => header.map((h) => row[h]).join(','))].join('\n') + '\n';
}

/** Area under the ROC curve (ties count half), for scoring two models on the same rows. */
export function auc(labels: number[], scores: number[]): number {
  const order = scores.map((s, i) => [s, labels[i]] as const).sort((a, b) => a[0] - b[0]);
  let rank = 0;
  let positiveRanks = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j][0] === order[i][0]) j++;
    const mid = rank + (j - i + 1) / 2;
    for (let k = i; k < j; k++) if (order[k][1] === 1) positiveRanks += mid;
    rank += j - i;
    i = j;
  }
  const positives = labels.filter((l) => l === 1).length;
  const negatives = labels.length - positives;
  return (positiveRanks - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface IncrementalFigures {
  /** Boosting rounds each job trained itself (its own metric series' length). */
  rounds: { parent: number; incremental: number; fullRetrain: number };
  /** AUC of each registered model on the same held-out rows, scored through the predict API. */
  holdoutAuc: { parent: number; incremental: number; fullRetrain: number };
  /** Each job from start to finish (loading, preprocessing, training, ONNX export and checks, registration). */
  seconds: { incremental: number; fullRetrain: number };
  incrementalVersion: { name: string; version: number; lineage: Record<string, unknown> };
}

export interface IncrementalPlan {
  oldRows: number;
  newRows: number;
  holdoutRows: number;
  /** XGBoost params shared by every job; numRounds is each job's own. */
  params: Record<string, unknown>;
  parentRounds: number;
  incrementalRounds: number;
  fullRounds: number;
  name: string;
}

async function trained(api: ApiClient, body: Record<string, unknown>): Promise<{ job: any; seconds: number; rounds: number }> {
  const created = await api.post('/v1/training-jobs', body);
  if (created.status !== 201) throw new Error(`submit: ${created.status} ${JSON.stringify(created.body)}`);
  const job = await api.waitForJob(created.body.id, undefined, 600_000);
  if (job.status !== 'completed') throw new Error(`job ${job.id} ${job.status}: ${JSON.stringify(job.error)}`);
  const series = (await api.get(`/v1/training-jobs/${job.id}/metrics`)).body.series['train.logLoss'] ?? [];
  return { job, seconds: job.durationSeconds, rounds: series.length };
}

/** Records per predict request (the API takes at most 10000). */
const PREDICT_BATCH = 5000;

async function holdoutAuc(api: ApiClient, model: { name: string; version: number }, rows: ReturnType<typeof steadyBinaryRows>): Promise<number> {
  const scores: number[] = [];
  for (let at = 0; at < rows.length; at += PREDICT_BATCH) {
    const records = rows.slice(at, at + PREDICT_BATCH).map(({ label: _label, ...features }) => features);
    const res = await api.post(`/v1/models/${model.name}/predict`, { version: model.version, records });
    if (res.status !== 200) throw new Error(`predict: ${res.status} ${JSON.stringify(res.body)}`);
    for (const p of res.body.predictions as { probabilities: Record<string, number> }[]) scores.push(p.probabilities['1']);
  }
  return auc(rows.map((r) => r.label), scores);
}

/**
 * Issue 20's comparison, through the API: a parent trained on the older rows; then, on newer rows of the same task,
 * an incremental run that adds `incrementalRounds` to the parent's trees, against a full retrain on old and new rows
 * together. Each registered model is scored on the same held-out rows.
 */
export async function compareIncremental(api: ApiClient, plan: IncrementalPlan): Promise<IncrementalFigures> {
  const old = steadyBinaryRows(plan.oldRows, 11);
  const fresh = steadyBinaryRows(plan.newRows, 12);
  const holdout = steadyBinaryRows(plan.holdoutRows, 13);
  const upload = async (name: string, rows: ReturnType<typeof steadyBinaryRows>) => {
    const res = await api.uploadDataset(name, rowsCsv(rows));
    if (res.status !== 201) throw new Error(`upload ${name}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const [oldId, freshId, allId] = await Promise.all([upload(`${plan.name}-old`, old), upload(`${plan.name}-new`, fresh), upload(`${plan.name}-all`, [...old, ...fresh])]);
  const job = (datasetId: string, numRounds: number, extra: Record<string, unknown> = {}) => ({
    datasetId,
    target: 'label',
    model: { type: 'xgboost', params: { ...plan.params, numRounds } },
    validation: { validationSize: 0.1, seed: 5 },
    ...extra,
  });

  const parent = await trained(api, job(oldId, plan.parentRounds, { name: plan.name }));
  const incremental = await trained(api, job(freshId, plan.incrementalRounds, { name: plan.name, mode: 'incremental', from: { model: plan.name, version: parent.job.modelVersion.version } }));
  const full = await trained(api, job(allId, plan.fullRounds, { name: `${plan.name}-full` }));
  const version = (await api.get(`/v1/models/${plan.name}/versions/${incremental.job.modelVersion.version}`)).body;
  return {
    rounds: { parent: parent.rounds, incremental: incremental.rounds, fullRetrain: full.rounds },
    holdoutAuc: {
      parent: await holdoutAuc(api, parent.job.modelVersion, holdout),
      incremental: await holdoutAuc(api, incremental.job.modelVersion, holdout),
      fullRetrain: await holdoutAuc(api, full.job.modelVersion, holdout),
    },
    seconds: { incremental: incremental.seconds, fullRetrain: full.seconds },
    incrementalVersion: { name: version.name, version: version.version, lineage: version.lineage },
  };
}
