import type { LoadFeaturesResult, StepInput } from '@trainyard/contracts';
import type { ActivityDeps } from './activity-deps';
import { resolveFeatures } from './pipeline/load-features';
import { runStep } from './pipeline/step-context';

/** Finds the job's dataset version, checks the columns it names, and brings the file to this worker, checked. */
export function createLoadFeatures(deps: ActivityDeps) {
  return async function loadFeatures(input: StepInput): Promise<LoadFeaturesResult> {
    return runStep(deps, input, 'load_features', async (ctx) => {
      const load = await resolveFeatures(deps, input);
      (await ctx.storage.open(load.dataset)).release();
      await ctx.log('info', `dataset of ${load.rows} rows × ${load.columns.length} columns is on this worker (sha256 ${load.datasetSha256.slice(0, 12)})`);
      return load;
    });
  };
}
