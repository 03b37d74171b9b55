import type { LoadFeaturesResult, PreprocessResult, StepInput } from '@trainyard/contracts';
import { objectKeys } from '@trainyard/storage';
import type { ActivityDeps } from './activity-deps';
import { loadFrame } from './pipeline/load-features';
import { resolveParent } from './pipeline/parent-model';
import { preprocess as prepare, storePrepared } from './pipeline/preprocess';
import { runStep } from './pipeline/step-context';
import { threadsPerSlot } from './pipeline/threads';

/** Parses the dataset, encodes features, splits rows, and stores the prepared bundle for the steps after it. */
export function createPreprocess(deps: ActivityDeps) {
  return async function preprocess(input: StepInput & { load: LoadFeaturesResult }): Promise<PreprocessResult> {
    return runStep(deps, input, 'preprocess', async (ctx) => {
      const parent = await resolveParent(deps, ctx, input.tenantId, input.spec);
      const frame = await loadFrame(ctx, input.load);
      const { prepared, summary } = await prepare(ctx, input, frame, threadsPerSlot(deps.config.cpuSlots), parent);
      const object = await storePrepared(ctx, prepared, objectKeys.job(input.jobId, 'prepared'));
      return { prepared: object, ...summary };
    });
  };
}
