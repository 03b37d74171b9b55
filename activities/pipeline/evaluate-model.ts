import { METRIC_DIRECTIONS, meetsDeployRule, metricsWithoutPlots, type EvaluateResult, type PromotionCheck, type PromotionComparison, type StepInput, type StoredObject } from '@trainyard/contracts';
import { ModelAlias, ModelVersion } from '@trainyard/db';
import {
  classificationMetrics,
  composeWithPreprocessing,
  modelFamily,
  regressionMetrics,
  scoreRawOnnx,
  trainMetrics,
  type Matrix,
  type ParitySample,
  type PreparedData,
  type PreprocessPlan,
} from '@trainyard/ml';
import { objectKeys, sha256Of } from '@trainyard/storage';
import type { ActivityDeps } from '../activity-deps';
import { jobFailure } from '../to-failure';
import { evaluationPlots } from './evaluation-plots';
import type { StepContext } from './step-context';

/**
 * Largest difference allowed between the ONNX model and the engine: absolute for probabilities and values up
 * to 1, relative beyond (both sum trees in float32, so error grows with magnitude).
 */
export const PARITY_TOLERANCE = 1e-4;

export function parityGap(onnx: Float32Array, engine: Float32Array): number {
  if (onnx.length !== engine.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < onnx.length; i++) {
    const a = onnx[i];
    const b = engine[i];
    if (Number.isNaN(a) !== Number.isNaN(b)) return Infinity;
    if (Number.isNaN(a)) continue;
    worst = Math.max(worst, Math.abs(a - b) / Math.max(1, Math.abs(b)));
  }
  return worst;
}

/**
 * Exports the model to ONNX with its preprocessing inside, so it takes the dataset's raw columns; holds it to the
 * engine on the raw parity sample of the test rows; scores the test and validation splits with the engine (the two
 * agree within PARITY_TOLERANCE, and the engine is faster on a large split); keeps the ONNX file and its plan.
 */
export async function evaluateModel(deps: ActivityDeps, ctx: StepContext, input: StepInput, prepared: PreparedData, model: Uint8Array): Promise<EvaluateResult> {
  const family = modelFamily(input.spec.model.type);
  const classes = prepared.classLabels?.length ?? 0;
  const core = family.toOnnx(model, { featureCount: prepared.featureNames.length, task: prepared.task, classLabels: prepared.classLabels });
  const onnx = composeWithPreprocessing(core, prepared.plan);
  ctx.progress();

  const [testScores, validationScores] = await Promise.all([family.predict(model, prepared.test, classes), prepared.validation ? family.predict(model, prepared.validation, classes) : null]);
  const sample = prepared.paritySample;
  if (!sample) throw new Error('prepared data has no parity sample; preprocess again');
  const sampled = await scoreSample(onnx, prepared.plan, sample);
  const width = sample.pick.length > 0 ? sampled.length / sample.pick.length : 0;
  const parity = parityGap(sampled, testScores.subarray(0, sampled.length));
  ctx.progress();
  if (!(parity <= PARITY_TOLERANCE)) {
    throw jobFailure('ONNX_PARITY_FAILED', `ONNX predictions differ from the engine's by ${parity} on ${sample.pick.length} test rows (tolerance ${PARITY_TOLERANCE})`);
  }
  if (width * sample.pick.length !== sampled.length) throw new Error('parity sample scores have an unexpected shape');

  const metrics = { ...score(prepared, prepared.test, testScores), ...evaluationPlots(prepared, prepared.test, testScores) };
  const validationMetrics = prepared.validation && validationScores ? score(prepared, prepared.validation, validationScores) : null;
  const onTrain = await trainMetrics(prepared.train, { task: prepared.task, classLabels: prepared.classLabels, predict: (m) => family.predict(model, m, classes), seed: input.spec.validation.seed });
  ctx.progress();
  const promotion = input.promotion;
  const comparison = promotion ? await compareWithAlias(ctx, promotion, prepared, sampled, () => aliasHolder(deps, input, promotion.alias)) : undefined;
  const deploy = input.spec.deploy;
  const deploymentReady = deploy ? meetsDeployRule(deploy, metrics) : undefined;

  const sha256 = sha256Of(onnx);
  const planBytes = Buffer.from(JSON.stringify(prepared.plan));
  const [onnxObject, planObject, engineObject] = await Promise.all([
    ctx.storage.putBytes(objectKeys.model(input.tenantId, sha256, 'onnx'), onnx, { durable: true }),
    ctx.storage.putBytes(objectKeys.model(input.tenantId, sha256, 'plan.json'), planBytes, { durable: true }),
    // Kept beside the ONNX file so a later run can continue from this model (incremental, transfer, ensemble_update).
    ctx.storage.putBytes(objectKeys.model(input.tenantId, sha256Of(model), 'model'), model, { durable: true }),
  ]);
  await ctx.jobs.setResults(input.jobId, { metrics, validationMetrics, trainMetrics: onTrain.metrics, deploymentReady });
  await ctx.log('info', `ONNX parity max |Δ| = ${parity.toExponential(2)} on ${sample.pick.length} test rows; test metrics recorded`, { metrics: headline(metrics) });
  await ctx.log('info', `training metrics on ${onTrain.sampled ? `a sample of ${onTrain.rows}` : onTrain.rows} training rows`, { metrics: headline(onTrain.metrics as unknown as Record<string, unknown>) });
  if (deploy) {
    const value = metrics[deploy.metric as keyof typeof metrics];
    await ctx.log(deploymentReady ? 'info' : 'warn', `${deploymentReady ? 'ready' : 'not ready'} to deploy: test ${deploy.metric} = ${typeof value === 'number' ? value : 'not computed'}`, { deploy: { ...deploy } });
  }
  return {
    onnx: onnxObject,
    plan: planObject,
    engineModel: engineObject,
    metrics,
    validationMetrics,
    parityMaxAbsDiff: parity,
    parityRows: sample.pick.length,
    ...(comparison ? { comparison } : {}),
  };
}

/** Scores the sample as callers send rows (in time order with history) and returns the checked rows' outputs in test order. */
export async function scoreSample(onnx: Uint8Array, plan: PreprocessPlan, sample: ParitySample): Promise<Float32Array> {
  const scores = await scoreRawOnnx(onnx, plan, sample.frame);
  const all = (plan.task === 'classification' ? scores.probabilities : scores.values) ?? new Float32Array();
  const width = sample.frame.rowCount > 0 ? all.length / sample.frame.rowCount : 0;
  const out = new Float32Array(sample.pick.length * width);
  sample.pick.forEach((at, i) => out.set(all.subarray(at * width, (at + 1) * width), i * width));
  return out;
}

function score(prepared: PreparedData, m: Matrix, predicted: Float32Array): Record<string, unknown> {
  const metrics =
    prepared.task === 'classification' ? classificationMetrics(m.labels, predicted, prepared.classLabels ?? []) : regressionMetrics(m.labels, predicted);
  return metrics as unknown as Record<string, unknown>;
}

/** The model version an alias points at, as the promotion comparison needs it. */
export interface AliasHolder {
  version: number;
  /** Null when its row is gone or it was registered before plans were kept: it cannot be scored. */
  model: { artifact: StoredObject; plan: StoredObject; classLabels: string[] | null } | null;
}

/** Which version of the job's model holds `alias` now, if any. */
async function aliasHolder(deps: ActivityDeps, input: StepInput, alias: string): Promise<AliasHolder | null> {
  const em = deps.orm.em.fork();
  const holder = await em.findOne(ModelAlias, { tenantId: input.tenantId, modelName: input.spec.name, alias });
  if (!holder) return null;
  const incumbent = await em.findOne(ModelVersion, { tenantId: input.tenantId, name: input.spec.name, version: holder.version });
  return {
    version: holder.version,
    model: incumbent?.plan ? { artifact: incumbent.artifact, plan: incumbent.plan, classLabels: incumbent.signature.classLabels ?? null } : null,
  };
}

/**
 * For a promoting schedule: the alias holder's `metric` beside the new model's, both scored through their ONNX
 * models on the raw parity sample of this job's test rows (labels aligned by class name), so the decision after
 * the job needs none of its data.
 */
export async function compareWithAlias(
  ctx: StepContext,
  promotion: PromotionCheck,
  prepared: PreparedData,
  candidateScores: Float32Array,
  findHolder: () => Promise<AliasHolder | null>,
): Promise<PromotionComparison> {
  const { alias, metric } = promotion;
  const sample = prepared.paritySample!;
  const labels = prepared.test.labels.subarray(0, sample.pick.length);
  const valueOf = (scores: Float32Array, classLabels: string[] | null) => {
    const m = { rows: labels.length, cols: 0, data: new Float32Array(), labels };
    const metrics = score(prepared, m, prepared.task === 'classification' ? alignClasses(scores, classLabels ?? [], prepared.classLabels ?? []) : scores);
    const value = metrics[metric];
    return typeof value === 'number' ? value : null;
  };
  const candidate = valueOf(candidateScores, prepared.classLabels);
  if (candidate === null || !(metric in METRIC_DIRECTIONS)) throw jobFailure('INVALID_HYPERPARAMETERS', `the promotion metric ${metric} is not defined for a ${prepared.task} task`);

  const holder = await findHolder();
  if (!holder?.model) return { alias, metric, candidate, incumbentVersion: holder?.version ?? null, incumbent: null };
  try {
    const [onnx, planBytes] = await Promise.all([ctx.storage.readBytes(holder.model.artifact), ctx.storage.readBytes(holder.model.plan)]);
    const plan = JSON.parse(planBytes.toString('utf8')) as PreprocessPlan;
    const theirs = await scoreSample(onnx, plan, sample);
    return { alias, metric, candidate, incumbentVersion: holder.version, incumbent: valueOf(theirs, holder.model.classLabels) };
  } catch (err) {
    await ctx.log('warn', `could not score ${alias} (v${holder.version}) on this job's test rows: ${err instanceof Error ? err.message : String(err)}`);
    return { alias, metric, candidate, incumbentVersion: holder.version, incumbent: null };
  }
}

/** Probabilities over `theirs` classes rearranged to `ours` order; a class they never saw scores 0. */
export function alignClasses(scores: Float32Array, theirs: string[], ours: string[]): Float32Array {
  if (theirs.length === ours.length && theirs.every((c, i) => c === ours[i])) return scores;
  const rows = theirs.length > 0 ? scores.length / theirs.length : 0;
  const out = new Float32Array(rows * ours.length);
  theirs.forEach((label, c) => {
    const at = ours.indexOf(label);
    if (at < 0) return;
    for (let r = 0; r < rows; r++) out[r * ours.length + at] = scores[r * theirs.length + c];
  });
  return out;
}

function headline(metrics: Record<string, unknown>): Record<string, unknown> {
  const { perClass: _perClass, confusionMatrix: _confusion, ...rest } = metricsWithoutPlots(metrics);
  return rest;
}
