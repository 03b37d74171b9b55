import type { PreprocessResult, StepInput } from '@trainyard/contracts';
import type { ActivityDeps } from './activity-deps';
import { crossValidateFold as runFold, type FoldResult } from './pipeline/cross-validate';
import { parentEngineModel, resolveParent } from './pipeline/parent-model';
import { readPrepared } from './pipeline/prepared-objects';
import { runStep } from './pipeline/step-context';

export interface CrossValidateFoldInput extends StepInput {
  prepared: PreprocessResult;
  fold: number;
}

/** One cross-validation fold on the prepared bundle; the workflow runs the folds side by side. */
export function createCrossValidateFold(deps: ActivityDeps) {
  return async function crossValidateFold(input: CrossValidateFoldInput): Promise<FoldResult> {
    return runStep(deps, input, 'train', async (ctx) => {
      const parent = await resolveParent(deps, ctx, input.tenantId, input.spec, input.prepared.parent);
      return runFold(deps, ctx, input, await readPrepared(ctx, input.prepared.prepared), input.fold, parent && (await parentEngineModel(ctx, parent)));
    });
  };
}
