import type { ModelVersionRef, TrainingSpec } from '@trainyard/contracts';
import { ModelAlias, ModelVersion } from '@trainyard/db';
import { ensembleUpdateParams, type EnsembleMemberSpec, type PreprocessPlan } from '@trainyard/ml';
import type { ActivityDeps } from '../activity-deps';
import { jobFailure } from '../to-failure';
import type { DataContext } from './step-context';

/** The registered version a non-full run builds on, and the plan the new data is encoded with. */
export interface ParentModel {
  ref: ModelVersionRef;
  version: ModelVersion;
  plan: PreprocessPlan;
}

/** The job builds on a parent: incremental, transfer and ensemble_update runs. */
export function buildsOnParent(spec: TrainingSpec): boolean {
  return (spec.mode ?? 'full') !== 'full';
}

/**
 * The job's parent version: `pinned` when an earlier step resolved it, else the version or alias the job names (an
 * alias is read now, so a schedule's run builds on what the alias holds when it runs). A parent that is gone, or was
 * registered before versions kept their engine model, fails the job: no retry brings it back.
 */
export async function resolveParent(deps: ActivityDeps, ctx: DataContext, tenantId: string, spec: TrainingSpec, pinned?: ModelVersionRef): Promise<ParentModel | null> {
  if (!buildsOnParent(spec)) return null;
  const from = spec.from;
  if (!from) throw jobFailure('INVALID_HYPERPARAMETERS', `mode ${spec.mode} needs "from": the model version to start from`);
  const em = deps.orm.em.fork();
  const name = pinned?.name ?? from.model;
  let number = pinned?.version ?? from.version ?? null;
  if (number === null && from.alias && from.alias !== 'latest') {
    number = (await em.findOne(ModelAlias, { tenantId, modelName: name, alias: from.alias }))?.version ?? null;
    if (number === null) throw jobFailure('INVALID_HYPERPARAMETERS', `model ${name} has no alias ${from.alias} to start from`);
  }
  const version =
    number === null
      ? await em.findOne(ModelVersion, { tenantId, name }, { orderBy: { version: 'desc' } })
      : await em.findOne(ModelVersion, { tenantId, name, version: number });
  const label = `${name} ${number === null ? '(latest)' : `v${number}`}`;
  if (!version) throw jobFailure('INVALID_HYPERPARAMETERS', `the parent model ${label} does not exist (any more)`);
  if (!version.engineModel || !version.plan) {
    throw jobFailure('INVALID_HYPERPARAMETERS', `the parent model ${label} was registered before versions kept their engine model; train it again in full to build on it`);
  }
  const plan = JSON.parse((await ctx.storage.readBytes(version.plan)).toString('utf8')) as PreprocessPlan;
  return { ref: { name: version.name, version: version.version }, version, plan };
}

/** The parent's engine model, as its family's train returned it. */
export async function parentEngineModel(ctx: DataContext, parent: ParentModel): Promise<Uint8Array> {
  return ctx.storage.readBytes(parent.version.engineModel!);
}

/**
 * The params the engine trains with: the job's own, except for ensemble_update, whose job names only the members to
 * add: the parent's members come first, as they were, and the method is the parent's unless the job gives one.
 */
export function trainingParams(spec: TrainingSpec, parentModel: Uint8Array | null): Record<string, unknown> {
  const params = spec.model.params;
  if (spec.mode !== 'ensemble_update' || !parentModel) return params;
  const added = ((params.members as { type: EnsembleMemberSpec['type']; params?: Record<string, unknown> }[] | undefined) ?? []).map((m) => ({ type: m.type, params: m.params ?? {} }));
  const merged = ensembleUpdateParams(parentModel, added, params.method as 'average' | 'stacking' | undefined);
  return params.weights ? { ...merged, weights: params.weights } : merged;
}
