import { defaultValidation, type StepInput, type TrainingSpec } from '@trainyard/contracts';
import { seededRandom, stringColumn, type Frame } from '@trainyard/ml';
import { JOB_ID, TENANT_ID } from './fakes';

/**
 * A small churn table with a learnable signal: short tenure and a high bill make "yes" likely, and one row in
 * `minorityEvery` (the riskiest) churns; `noise` carries no signal. `signup` is one day per row in order, for
 * time-based validation.
 */
export function churnFrame(rows = 300, options: { seed?: number; minorityEvery?: number } = {}): Frame {
  const random = seededRandom(options.seed ?? 7);
  const tenure = Float64Array.from({ length: rows }, () => Math.floor(random() * 60));
  const monthly = Float64Array.from({ length: rows }, () => 20 + random() * 80);
  const risk = Array.from({ length: rows }, (_, i) => (60 - tenure[i]) / 60 + monthly[i] / 100 + random() * 0.4);
  const cut = [...risk].sort((a, b) => b - a)[Math.floor(rows / (options.minorityEvery ?? 4))];
  return {
    rowCount: rows,
    columns: [
      { name: 'noise', type: 'number', nullCount: 0, values: Float64Array.from({ length: rows }, () => random()) },
      { name: 'tenure', type: 'number', nullCount: 0, values: tenure },
      { name: 'monthly', type: 'number', nullCount: 0, values: monthly },
      { name: 'signup', type: 'datetime', nullCount: 0, values: Float64Array.from({ length: rows }, (_, i) => Date.UTC(2024, 0, 1) + i * 86_400_000) },
      stringColumn('plan', Array.from({ length: rows }, (_, i) => ['basic', 'pro', 'enterprise'][i % 3])),
      stringColumn('churned', risk.map((r) => (r > cut ? 'yes' : 'no'))),
    ],
  };
}

/** A job's spec after defaults, training XGBoost on churnFrame(); `params` are merged into the model's. */
export function trainingSpec(overrides: Partial<TrainingSpec> = {}, params: Record<string, unknown> = {}): TrainingSpec {
  return {
    name: 'churn',
    experiment: 'specs',
    datasetId: '00000000-0000-4000-8000-00000000d001',
    target: 'churned',
    task: null,
    features: null,
    exclude: ['signup'],
    model: { type: 'xgboost', params: { numRounds: 20, maxDepth: 3, learningRate: 0.3, seed: 1, ...params } },
    validation: { ...defaultValidation },
    priority: 'normal',
    execution: { device: 'cpu', requireGpu: false },
    ...overrides,
  };
}

export function stepInput(spec: TrainingSpec = trainingSpec(), extra: Partial<StepInput> = {}): StepInput {
  return { jobId: JOB_ID, tenantId: TENANT_ID, spec, device: 'cpu', ...extra };
}
