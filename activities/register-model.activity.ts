import type { ModelVersionRef, RegisterInput } from '@trainyard/contracts';
import type { PreprocessPlan } from '@trainyard/ml';
import type { ActivityDeps } from './activity-deps';
import { registerVersion, versionRegistry } from './pipeline/register-version';
import { runStep } from './pipeline/step-context';

/** Records the model version; one per job, so a retried step returns the version it made the first time. */
export function createRegisterModel(deps: ActivityDeps) {
  return async function registerModel(input: RegisterInput): Promise<ModelVersionRef> {
    return runStep(deps, input, 'register', async (ctx) => {
      const { prepared, trained, evaluated, load } = input;
      const plan = JSON.parse((await ctx.storage.readBytes(evaluated.plan)).toString('utf8')) as PreprocessPlan;
      return registerVersion(versionRegistry(deps), ctx, input, {
        load,
        plan,
        task: prepared.task,
        classLabels: prepared.classLabels,
        featureSelection: prepared.featureSelection,
        trained,
        evaluated,
        ...(prepared.parent ? { parent: prepared.parent } : {}),
      });
    });
  };
}
