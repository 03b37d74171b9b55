import type { Task } from '@trainyard/contracts';
import { MlError } from '../../errors';
import { isEnsembleMemberType } from './ensemble-members';
import type { EnsembleMemberType } from './ensemble-members';
import type { EnsembleMethod } from './ensemble-params';

export const ENSEMBLE_MODEL_FORMAT = 'trainyard-ensemble';

export interface EnsembleMemberModel {
  type: EnsembleMemberType;
  params: Record<string, unknown>;
  engine: string;
  engineVersion: string;
  /** Rounds the member's model holds. */
  rounds: number;
  /** Rounds the member added to the ensemble's progress counter (≥ rounds when it stopped early). */
  progress: number;
  stoppedEarly: boolean;
  featureImportance: number[];
  /** The member family's own serialised model. */
  model: Uint8Array;
}

export interface EnsembleModel {
  task: Task;
  /** 0 for regression. */
  numClasses: number;
  featureCount: number;
  /** As fitted: stacking without a validation set (or cancelled before the meta-model) falls back to average. */
  method: EnsembleMethod;
  /** average: one weight per member, summing to 1. */
  weights: number[];
  members: EnsembleMemberModel[];
  /** stacking: a linear-family model over the members' outputs (see stackedFeatures). */
  meta: Uint8Array | null;
  /** Checkpoints only: the member being trained when the checkpoint was written, and its own checkpoint. */
  pending: { index: number; checkpoint: Uint8Array } | null;
}

type Encoded<T> = { [K in keyof T]: T[K] extends Uint8Array ? string : T[K] extends Uint8Array | null ? string | null : T[K] };
type EncodedModel = Omit<Encoded<EnsembleModel>, 'members' | 'pending'> & {
  format: typeof ENSEMBLE_MODEL_FORMAT;
  version: 1;
  members: Encoded<EnsembleMemberModel>[];
  pending: { index: number; checkpoint: string } | null;
};

/** JSON with each member's model as base64, so any engine's bytes round-trip exactly. */
export function encodeEnsembleModel(model: EnsembleModel): Uint8Array {
  const json: EncodedModel = {
    format: ENSEMBLE_MODEL_FORMAT,
    version: 1,
    ...model,
    members: model.members.map((m) => ({ ...m, model: toBase64(m.model) })),
    meta: model.meta && toBase64(model.meta),
    pending: model.pending && { index: model.pending.index, checkpoint: toBase64(model.pending.checkpoint) },
  };
  return new TextEncoder().encode(JSON.stringify(json));
}

export function decodeEnsembleModel(bytes: Uint8Array): EnsembleModel {
  let json: EncodedModel;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes)) as EncodedModel;
  } catch (err) {
    throw new MlError('INTERNAL', `Ensemble model is not JSON: ${(err as Error).message}`);
  }
  if (json?.format !== ENSEMBLE_MODEL_FORMAT || !Array.isArray(json.members) || !Array.isArray(json.weights)) {
    throw new MlError('INTERNAL', 'Not a trainyard ensemble model');
  }
  if (json.members.some((m) => !isEnsembleMemberType(m.type))) throw new MlError('INTERNAL', 'Ensemble model has an unknown member type');
  const { format: _format, version: _version, ...rest } = json;
  return {
    ...rest,
    members: json.members.map((m) => ({ ...m, model: fromBase64(m.model) })),
    meta: json.meta === null ? null : fromBase64(json.meta),
    pending: json.pending && { index: json.pending.index, checkpoint: fromBase64(json.pending.checkpoint) },
  };
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}
