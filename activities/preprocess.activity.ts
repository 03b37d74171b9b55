import { join } from 'node:path';
import type { FeatureSelectionOutcome, FeatureSelectionSpec, LoadFeaturesResult, ModelType, PreprocessResult, StepInput } from '@trainyard/contracts';
import { keptColumns, modelFamily, prepareData, rankColumnsByGain, readFrame, savePrepared, type Frame, type PrepareOptions, type PreparedData } from '@trainyard/ml';
import type { ActivityDeps } from './activity-deps';
import { runStep } from './job-context';
import { dataPath, jobDir, readStepResult, writeStepResult } from './job-files';
import { threadsPerSlot } from './train.activity';

const STEP = 'preprocess';

function needsScaledInputs(type: ModelType, params: Record<string, unknown>): boolean {
  const family = modelFamily(type);
  return family.needsScaledInputsFor?.(params) ?? family.needsScaledInputs ?? false;
}

/** Encodes features and splits rows into train, validation and test sets. */
export function createPreprocess(deps: ActivityDeps) {
  return async function preprocess(input: StepInput & { load: LoadFeaturesResult }): Promise<PreprocessResult> {
    return runStep(deps, input, 'preprocess', async (ctx) => {
      const done = await readStepResult<PreprocessResult>(deps.config.dataDir, input.jobId, STEP);
      if (done) return done;

      const frame = await readFrame(dataPath(deps.config.dataDir, input.load.framePath));
      const { spec } = input;
      const options: PrepareOptions = {
        target: spec.target,
        features: spec.features,
        exclude: spec.exclude,
        task: spec.task,
        validation: spec.validation,
        timeFeatures: spec.preprocessing?.timeFeatures ?? null,
        ...(needsScaledInputs(spec.model.type, spec.model.params) ? { scaling: true, impute: true } : {}),
      };
      const selectionSpec = spec.preprocessing?.featureSelection;
      const { prepared, selection } = selectionSpec
        ? await prepareSelected(frame, options, selectionSpec, threadsPerSlot(deps.config.cpuSlots))
        : { prepared: prepareData(frame, options), selection: null };
      if (selection) await ctx.log('info', `feature selection kept ${selection.kept.length} of ${selection.ranking.length} columns`, { kept: selection.kept, dropped: selection.dropped });
      const preparedPath = join(jobDir(input.jobId), 'prepared');
      await savePrepared(prepared, dataPath(deps.config.dataDir, preparedPath));
      const result: PreprocessResult = {
        preparedPath,
        task: prepared.task,
        featureNames: prepared.featureNames,
        classLabels: prepared.classLabels,
        trainRows: prepared.train.rows,
        validationRows: prepared.validation?.rows ?? 0,
        testRows: prepared.test.rows,
        ...(selection ? { featureSelection: selection } : {}),
      };
      await ctx.jobs.setResults(input.jobId, { task: prepared.task });
      await ctx.log('info', `${prepared.task}: ${result.featureNames.length} features; ${result.trainRows} train, ${result.validationRows} validation, ${result.testRows} test rows`, {
        droppedRows: prepared.droppedRows,
        classLabels: prepared.classLabels,
      });
      await writeStepResult(deps.config.dataDir, input.jobId, STEP, result);
      return result;
    });
  };
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
