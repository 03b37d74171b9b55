import { MlError } from '../../errors';
import type { Matrix } from '../../matrix';
import { linearFamily } from '../linear/linear-family';
import type { FamilyTrainOptions, FamilyTrainResult, RoundEvent } from '../model-family';
import { memberOutputs, stackedFeatures } from './ensemble-combine';
import { memberFamily, plannedRounds } from './ensemble-members';
import { encodeEnsembleModel, decodeEnsembleModel } from './ensemble-model';
import type { EnsembleMemberModel, EnsembleModel } from './ensemble-model';
import { resolveEnsembleParams } from './ensemble-params';
import type { EnsembleMemberSpec, EnsembleParams } from './ensemble-params';
import { parentModel } from '../training-mode';

export const ENSEMBLE_ENGINE = 'trainyard-ensemble';
export const ENSEMBLE_ENGINE_VERSION = '1.0.0';

/** The meta-model sees a handful of well-scaled columns; a light L2 keeps it stable when members agree closely. */
const META_PARAMS = { l2: 1, maxIterations: 200 };

/**
 * Trains members one after another on the same matrix. Progress is one counter across members (member k's round r
 * is reported as the rounds of members before it + r); a checkpoint holds the finished members plus the current
 * member's own checkpoint, so a resume skips finished members and continues the current one.
 */
export async function trainEnsemble(opts: FamilyTrainOptions): Promise<FamilyTrainResult> {
  const params = resolveEnsembleParams(opts.params);
  const parent = parentModel('ensemble', opts);
  // ensemble_update starts as a resume whose members are all finished: only the members listed after them train.
  const start = opts.startFrom ? compatibleStart(decodeEnsembleModel(opts.startFrom), opts, params) : parent && updatedEnsemble(decodeEnsembleModel(parent), opts, params);
  const base = {
    task: opts.task,
    numClasses: opts.task === 'regression' ? 0 : opts.numClasses,
    featureCount: opts.train.cols,
  };
  const done: EnsembleMemberModel[] = start?.members ?? [];
  const planned = params.members.map((m, i) => done[i]?.progress ?? plannedRounds(m.type, m.params));
  let offset = done.reduce((n, m) => n + m.progress, 0);
  let cancelled = false;

  for (let index = done.length; index < params.members.length && !cancelled; index++) {
    const spec = params.members[index]!;
    const before = offset;
    const checkpoint = (members: EnsembleMemberModel[], pending: EnsembleModel['pending']) =>
      encodeEnsembleModel({ ...base, method: 'average', weights: [], members, meta: null, pending });
    let lastRound = 0;
    const result = await memberFamily(spec.type).train({
      task: opts.task,
      numClasses: opts.numClasses,
      train: opts.train,
      validation: opts.validation,
      device: opts.device,
      params: spec.params,
      startFrom: start?.pending?.index === index ? start.pending.checkpoint : null,
      checkpointEvery: opts.checkpointEvery,
      onCheckpoint: opts.onCheckpoint && ((model, round) => opts.onCheckpoint!(checkpoint(done, { index, checkpoint: model }), before + round)),
      checkpointDue: opts.checkpointDue && ((round) => opts.checkpointDue!(before + round)),
      onRound: async (e: RoundEvent) => {
        lastRound = e.round;
        planned[index] = e.totalRounds;
        const total = planned.reduce((a, b) => a + b, 0);
        return (await opts.onRound?.({ ...e, round: before + e.round, totalRounds: total })) ?? 'continue';
      },
    });
    const progress = Math.max(result.rounds, lastRound);
    done.push({
      type: spec.type,
      params: spec.params,
      engine: result.engine,
      engineVersion: result.engineVersion,
      rounds: result.rounds,
      progress,
      stoppedEarly: result.stoppedEarly,
      featureImportance: result.featureImportance,
      model: result.model,
    });
    offset = before + progress;
    planned[index] = progress;
    cancelled = result.cancelled;
    // A finished member is the most valuable thing to keep: a resume never retrains it.
    if (!cancelled && index < params.members.length - 1 && opts.checkpointEvery && opts.onCheckpoint && (opts.checkpointDue?.(offset) ?? true)) {
      await opts.onCheckpoint(checkpoint(done, null), offset);
    }
  }

  const model = await combination(opts, params, { ...base, members: done }, cancelled);
  return {
    model: encodeEnsembleModel(model),
    rounds: offset,
    bestRound: null,
    stoppedEarly: done.some((m) => m.stoppedEarly),
    cancelled,
    engine: ENSEMBLE_ENGINE,
    engineVersion: done.map((m) => `${m.engine} ${m.engineVersion}`).join(' + '),
    featureImportance: importance(model),
  };
}

/** Stacking fits its meta-model on validation predictions; without validation rows (or when cancelled) it averages. */
async function combination(
  opts: FamilyTrainOptions,
  params: EnsembleParams,
  partial: Pick<EnsembleModel, 'task' | 'numClasses' | 'featureCount' | 'members'>,
  cancelled: boolean,
): Promise<EnsembleModel> {
  const validation = opts.validation && opts.validation.rows > 0 ? opts.validation : null;
  const count = partial.members.length;
  if (params.method === 'stacking' && validation && !cancelled) {
    const meta = await fitMeta(opts, partial, validation);
    return { ...partial, method: 'stacking', weights: new Array<number>(count).fill(1 / count), meta, pending: null };
  }
  const raw = params.method === 'average' && params.weights ? params.weights.slice(0, count) : new Array<number>(count).fill(1);
  const total = raw.reduce((a, b) => a + b, 0);
  const weights = total > 0 ? raw.map((w) => w / total) : new Array<number>(count).fill(1 / count);
  return { ...partial, method: 'average', weights, meta: null, pending: null };
}

async function fitMeta(opts: FamilyTrainOptions, partial: Pick<EnsembleModel, 'members' | 'numClasses'>, validation: Matrix): Promise<Uint8Array> {
  const outputs = await memberOutputs(partial, validation);
  const features = stackedFeatures(outputs, opts.task, opts.numClasses, validation);
  const fitted = await linearFamily.train({ task: opts.task, numClasses: opts.numClasses, train: features, params: META_PARAMS });
  return fitted.model;
}

/** Members' importances weighted by their averaging weights (equal for stacking), renormalised. */
function importance(model: EnsembleModel): number[] {
  const totals = new Array<number>(model.featureCount).fill(0);
  model.members.forEach((m, i) => {
    const w = model.method === 'average' ? model.weights[i]! : 1 / model.members.length;
    m.featureImportance.forEach((v, f) => (totals[f]! += w * v));
  });
  const sum = totals.reduce((a, b) => a + b, 0);
  return sum > 0 ? totals.map((t) => t / sum) : totals;
}

function updatedEnsemble(parent: EnsembleModel, opts: FamilyTrainOptions, params: EnsembleParams): EnsembleModel {
  if (parent.pending) throw new MlError('INVALID_HYPERPARAMETERS', 'The parent ensemble is a checkpoint, not a finished model');
  if (params.members.length <= parent.members.length) {
    throw new MlError('INVALID_HYPERPARAMETERS', `ensemble_update needs members after the parent's ${parent.members.length} (see ensembleUpdateParams)`);
  }
  return compatibleStart({ ...parent, meta: null, pending: null }, opts, params);
}

/** Params for an ensemble_update run: the parent's members as they were, then the new ones; method as the parent's unless given. */
export function ensembleUpdateParams(parent: Uint8Array, newMembers: EnsembleMemberSpec[], method?: EnsembleParams['method']): Record<string, unknown> {
  const model = decodeEnsembleModel(parent);
  return { members: [...model.members.map((m) => ({ type: m.type, params: m.params })), ...newMembers], method: method ?? model.method };
}

function compatibleStart(model: EnsembleModel, opts: FamilyTrainOptions, params: EnsembleParams): EnsembleModel {
  const same = (a: EnsembleMemberSpec, b: EnsembleMemberSpec) => a.type === b.type && JSON.stringify(a.params) === JSON.stringify(b.params);
  const ok =
    model.task === opts.task &&
    model.featureCount === opts.train.cols &&
    model.members.length <= params.members.length &&
    model.members.every((m, i) => same(m, params.members[i]!)) &&
    (model.pending === null || model.pending.index === model.members.length);
  if (!ok) throw new MlError('INVALID_HYPERPARAMETERS', 'startFrom is an ensemble with a different task, feature count or members');
  return model;
}
