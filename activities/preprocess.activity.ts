import { join } from 'node:path';
import type { LoadFeaturesResult, ModelType, PreprocessResult, StepInput } from '@trainyard/contracts';
import { modelFamily, prepareData, readFrame, savePrepared } from '@trainyard/ml';
import type { ActivityDeps } from './activity-deps';
import { runStep } from './job-context';
import { dataPath, jobDir, readStepResult, writeStepResult } from './job-files';

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
      const prepared = prepareData(frame, {
        target: spec.target,
        features: spec.features,
        exclude: spec.exclude,
        task: spec.task,
        validation: spec.validation,
        ...(needsScaledInputs(spec.model.type, spec.model.params) ? { scaling: true, impute: true } : {}),
      });
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
