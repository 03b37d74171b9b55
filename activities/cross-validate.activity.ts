import type { PreprocessResult, StepInput } from '@trainyard/contracts';
import type { ActivityDeps } from './activity-deps';
import { crossValidateFold as runFold, type FoldResult } from './pipeline/cross-validate';
import { readPrepared } from './pipeline/prepared-objects';
import { runStep } from './pipeline/step-context';

export interface CrossValidateFoldInput extends StepInput {
  prepared: PreprocessResult;
  fold: number;
}

/** One cross-validation fold on the prepared bundle; the workflow runs the folds side by side. */
export function createCrossValidateFold(deps: ActivityDeps) {
  return async function crossValidateFold(input: CrossValidateFoldInput): Promise<FoldResult> {
    return runStep(deps, input, 'train', async (ctx) => runFold(deps, ctx, input, await readPrepared(ctx, input.prepared.prepared), input.fold));
  };
}
