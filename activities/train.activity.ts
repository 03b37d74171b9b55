import type { PreprocessResult, StepInput, TrainResult } from '@trainyard/contracts';
import { objectKeys } from '@trainyard/storage';
import type { ActivityDeps } from './activity-deps';
import { parentEngineModel, resolveParent } from './pipeline/parent-model';
import { readPrepared } from './pipeline/prepared-objects';
import { runStep } from './pipeline/step-context';
import { trainModel } from './pipeline/train-model';

/** Trains on the prepared bundle (checkpointing into the store) and stores the engine's model. */
export function createTrain(deps: ActivityDeps) {
  return async function train(input: StepInput & { prepared: PreprocessResult }): Promise<TrainResult> {
    return runStep(deps, input, 'train', async (ctx) => {
      // The version preprocessing encoded the data for, even if an alias has moved since.
      const parent = await resolveParent(deps, ctx, input.tenantId, input.spec, input.prepared.parent);
      const prepared = await readPrepared(ctx, input.prepared.prepared);
      const trained = await trainModel(deps, ctx, input, prepared, parent && (await parentEngineModel(ctx, parent)));
      const model = await ctx.storage.putBytes(objectKeys.job(input.jobId, 'model'), trained.model);
      return {
        model,
        rounds: trained.rounds,
        engine: trained.engine,
        engineVersion: trained.engineVersion,
        featureImportance: trained.featureImportanceByName,
        ...(parent ? { params: trained.params } : {}),
        effectiveParams: trained.effectiveParams,
      };
    });
  };
}
