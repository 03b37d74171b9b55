import type { EvaluateResult, PreprocessResult, StepInput, TrainResult } from '@trainyard/contracts';
import type { ActivityDeps } from './activity-deps';
import { evaluateModel } from './pipeline/evaluate-model';
import { readPrepared } from './pipeline/prepared-objects';
import { runStep } from './pipeline/step-context';

/** Exports the trained model to ONNX, holds it to the engine, scores the splits and keeps the artifact. */
export function createEvaluate(deps: ActivityDeps) {
  return async function evaluate(input: StepInput & { prepared: PreprocessResult; trained: TrainResult }): Promise<EvaluateResult> {
    return runStep(deps, input, 'evaluate', async (ctx) => {
      const [prepared, model] = await Promise.all([readPrepared(ctx, input.prepared.prepared), ctx.storage.readBytes(input.trained.model)]);
      return evaluateModel(deps, ctx, input, prepared, model);
    });
  };
}
