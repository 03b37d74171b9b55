import { isCrossValidated, type EvaluateResult, type ModelVersionRef, type StepInput } from '@trainyard/contracts';
import type { Frame } from '@trainyard/ml';
import type { ActivityDeps } from './activity-deps';
import { collectGarbage, WORTH_COLLECTING_BYTES } from './pipeline/collect-garbage';
import { crossValidateFold, recordFolds, type FoldResult } from './pipeline/cross-validate';
import { evaluateModel } from './pipeline/evaluate-model';
import { loadFrame, resolveFeatures } from './pipeline/load-features';
import { parentEngineModel, resolveParent } from './pipeline/parent-model';
import { preprocess } from './pipeline/preprocess';
import { registerVersion, versionRegistry } from './pipeline/register-version';
import { runStep } from './pipeline/step-context';
import { threadsPerSlot } from './pipeline/threads';
import { trainModel } from './pipeline/train-model';

export interface PipelineOutcome {
  modelVersion: ModelVersionRef;
  comparison?: EvaluateResult['comparison'];
}

/**
 * Every step of a job in one activity, the data handed from step to step in memory: for data small enough that
 * moving it through the store would cost more than the steps. The job still moves through each stage (logs,
 * progress, heartbeat details), training still checkpoints into the store, and a retry resumes from the checkpoint.
 */
export function createRunPipeline(deps: ActivityDeps) {
  return async function runPipeline(input: StepInput): Promise<PipelineOutcome> {
    return runStep(deps, input, 'load_features', async (ctx) => {
      const versions = versionRegistry(deps);
      const done = await versions.registeredBy(input.jobId);
      if (done) return { modelVersion: done };

      const load = await resolveFeatures(deps, input);
      let frame: Frame | null = await loadFrame(ctx, load);
      await ctx.log('info', `loaded ${frame.rowCount} rows × ${frame.columns.length} columns (dataset ${load.datasetSha256.slice(0, 12)})`);

      await ctx.enter('preprocess');
      const parent = await resolveParent(deps, ctx, input.tenantId, input.spec);
      const { prepared, summary } = await preprocess(ctx, input, frame, threadsPerSlot(deps.config.cpuSlots), parent);
      frame = null; // what later steps need of it is in `prepared`
      // A large frame is freed now, not after training (see collectGarbage); a small one is not worth the pause.
      if (load.dataset.size >= WORTH_COLLECTING_BYTES) collectGarbage();

      await ctx.enter('train');
      const parentModel = parent && (await parentEngineModel(ctx, parent));
      if (isCrossValidated(input.spec.validation.method)) {
        const folds: FoldResult[] = [];
        for (let fold = 0; fold < input.spec.validation.folds; fold++) folds.push(await crossValidateFold(deps, ctx, input, prepared, fold, parentModel));
        await recordFolds(ctx.jobs, input.jobId, folds);
      }
      const trained = await trainModel(deps, ctx, input, prepared, parentModel);

      await ctx.enter('evaluate');
      const evaluated = await evaluateModel(deps, ctx, input, prepared, trained.model);

      await ctx.enter('register');
      const modelVersion = await registerVersion(versions, ctx, input, {
        load,
        plan: prepared.plan,
        task: prepared.task,
        classLabels: prepared.classLabels,
        featureSelection: summary.featureSelection,
        trained: { engine: trained.engine, engineVersion: trained.engineVersion, featureImportance: trained.featureImportanceByName, params: trained.params, effectiveParams: trained.effectiveParams },
        evaluated,
        ...(parent ? { parent: parent.ref } : {}),
      });
      return { modelVersion, ...(evaluated.comparison ? { comparison: evaluated.comparison } : {}) };
    });
  };
}
