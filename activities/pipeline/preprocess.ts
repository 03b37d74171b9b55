import type { FeatureSelectionOutcome, FeatureSelectionSpec, InputScaling, PreprocessResult, StepInput, StoredObject, TrainingSpec } from '@trainyard/contracts';
import { keptColumns, modelFamily, narrowFloatColumns, paritySample, prepareData, preparedBundlePieces, rankColumnsByGain, timeValues, type Frame, type PrepareOptions, type PreparedData } from '@trainyard/ml';
import { collectGarbage, WORTH_COLLECTING_BYTES } from './collect-garbage';
import type { ParentModel } from './parent-model';
import type { DataContext, StepContext } from './step-context';

/** Test rows the exported model is checked on against the engine: enough to catch a wrong export, bounded in time. */
export const PARITY_ROWS = 10_000;

export interface Preprocessed {
  prepared: PreparedData;
  summary: Omit<PreprocessResult, 'prepared'>;
}

/** The columns a job reads as more than a feature: its target, and the columns that order and group its rows in time. */
function columnsKeptExact(spec: TrainingSpec): Set<string> {
  return new Set([spec.target, spec.validation.timeColumn, spec.validation.seriesColumn].filter((c): c is string => typeof c === 'string'));
}

/** Linear models and networks train on imputed, standardised inputs; trees on the raw encoding. */
export function scalingOf(spec: TrainingSpec): InputScaling {
  const family = modelFamily(spec.model.type);
  return (family.needsScaledInputsFor?.(spec.model.params) ?? family.needsScaledInputs ?? false) ? 'scaled' : 'raw';
}

/**
 * Encodes features and splits rows into train, validation and test sets; keeps the raw test rows the export is
 * checked on, and the training rows' times for expanding-window folds, so later steps need no frame.
 */
export async function prepareForSpec(spec: TrainingSpec, frame: Frame, threads: number, scaling: InputScaling = scalingOf(spec), parent: ParentModel | null = null): Promise<Preprocessed> {
  const options: PrepareOptions = {
    target: spec.target,
    features: spec.features,
    exclude: spec.exclude,
    task: spec.task,
    validation: spec.validation,
    timeFeatures: spec.preprocessing?.timeFeatures ?? null,
    classWeights: spec.preprocessing?.classWeights ?? null,
    oversample: spec.preprocessing?.oversample ?? false,
    dataRange: spec.dataRange ?? null,
    ...(scaling === 'scaled' ? { scaling: true, impute: true } : {}),
    // A run on top of a parent encodes with the parent's plan, so the feature layout is the parent's; a transferred
    // network may learn new classes (a new output layer), the other modes keep the parent's.
    ...(parent ? { plan: parent.plan, keepClassLabels: spec.mode !== 'transfer' } : {}),
  };
  const selectionSpec = parent ? null : spec.preprocessing?.featureSelection;
  const { prepared, selection } = selectionSpec ? await prepareSelected(frame, options, selectionSpec, threads) : { prepared: prepareData(frame, options), selection: null };
  prepared.paritySample = paritySample(prepared, frame, PARITY_ROWS);
  if (spec.validation.method === 'time_series_cv' && spec.validation.timeColumn && prepared.frameRows) {
    const times = timeValues(frame, spec.validation.timeColumn);
    prepared.trainTimes = Float64Array.from(prepared.frameRows.train, (row) => times[row]);
  }
  const summary = {
    task: prepared.task,
    featureNames: prepared.featureNames,
    classLabels: prepared.classLabels,
    trainRows: prepared.train.rows,
    validationRows: prepared.validation?.rows ?? 0,
    testRows: prepared.test.rows,
    ...(selection ? { featureSelection: selection } : {}),
    ...(prepared.classDistribution ? { classDistribution: prepared.classDistribution } : {}),
    ...(parent ? { parent: parent.ref } : {}),
  };
  return { prepared, summary };
}

/** prepareForSpec for one job, with what it found in the job's record and log. */
export async function preprocess(ctx: StepContext, input: StepInput, frame: Frame, threads: number, parent: ParentModel | null = null): Promise<Preprocessed> {
  if (parent) await ctx.log('info', `${input.spec.mode} run on top of ${parent.ref.name} v${parent.ref.version}: the data is encoded with its preprocessing plan`);
  // The float features as float32 before the matrices are built beside them: on 2M × 30 the worker's peak fell from
  // 1,215 to 946 MB. Not under a parent's plan, which may read a number column as a category's text.
  else if (narrowFloatColumns(frame, columnsKeptExact(input.spec)) >= WORTH_COLLECTING_BYTES) collectGarbage();
  // A parent's plan carries its own imputation and scaling; the job's params (an update's added members) do not decide them.
  const { prepared, summary } = await prepareForSpec(input.spec, frame, threads, parent ? 'raw' : scalingOf(input.spec), parent);
  ctx.progress();
  const selection = summary.featureSelection;
  if (selection) await ctx.log('info', `feature selection kept ${selection.kept.length} of ${selection.ranking.length} columns`, { kept: selection.kept, dropped: selection.dropped });
  await ctx.jobs.setResults(input.jobId, { task: prepared.task, classDistribution: prepared.classDistribution });
  await ctx.log('info', `${prepared.task}: ${summary.featureNames.length} features; ${summary.trainRows} train, ${summary.validationRows} validation, ${summary.testRows} test rows`, {
    droppedRows: prepared.droppedRows,
    classLabels: prepared.classLabels,
  });
  const { forecast } = prepared.plan;
  if (forecast || input.spec.dataRange) {
    const range = input.spec.dataRange;
    const parts = [
      ...(forecast ? [`each row learns ${input.spec.target} ${forecast.horizon} rows ahead in ${forecast.timeColumn} order${forecast.seriesColumn ? ` within each ${forecast.seriesColumn}` : ''}`] : []),
      ...(range ? [`training period ${range.from ?? '…'} to ${range.to ?? '…'}`] : []),
    ];
    await ctx.log('info', `${parts.join('; ')}: ${prepared.droppedRows} rows left out (no target there)`, { forecast: forecast ?? null, dataRange: range ?? null });
  }
  const distribution = prepared.classDistribution;
  if (distribution) {
    const counts = Object.entries(distribution.counts).map(([label, n]) => `${label}: ${n}`).join(', ');
    await ctx.log(distribution.imbalanceRatio >= 10 ? 'warn' : 'info', `class distribution ${counts}; imbalance ratio ${distribution.imbalanceRatio.toFixed(2)}`, { ...distribution });
  }
  return { prepared, summary };
}

/** A quick fit on every candidate column ranks them by gain; the data is then prepared again from the kept ones. */
async function prepareSelected(
  frame: Frame,
  options: PrepareOptions,
  spec: FeatureSelectionSpec,
  threads: number,
): Promise<{ prepared: PreparedData; selection: FeatureSelectionOutcome }> {
  const ranking = await rankColumnsByGain(prepareData(frame, options), threads);
  const kept = keptColumns(ranking, spec);
  const keep = new Set(kept);
  const timeFeatures = options.timeFeatures ? { ...options.timeFeatures, columns: options.timeFeatures.columns.filter((c) => keep.has(c)) } : null;
  const prepared = prepareData(frame, { ...options, features: kept, timeFeatures: timeFeatures?.columns.length ? timeFeatures : null });
  const dropped = ranking.map((r) => r.column).filter((c) => !keep.has(c));
  return { prepared, selection: { kept: prepared.plan.inputs.map((i) => i.name), dropped, ranking } };
}

/** The prepared data as one object of the job's, for the steps after it. */
export function storePrepared(ctx: DataContext, prepared: PreparedData, key: string): Promise<StoredObject> {
  return ctx.storage.putStream(key, preparedBundlePieces(prepared));
}
