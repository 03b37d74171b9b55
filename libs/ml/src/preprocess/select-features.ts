import { datasetInvalid } from '../data/dataset-invalid';
import type { Frame } from '../data/frame';

export interface FeatureSelection {
  target: string;
  features: string[] | null;
  exclude: string[];
  /** Forecasting: the target's value at a row's own time is known, so the target column is an input too. */
  targetIsInput?: boolean;
}

/** The feature columns in frame order: the named ones, or every column but the target, minus `exclude`. */
export function selectFeatures(frame: Frame, { target, features, exclude, targetIsInput = false }: FeatureSelection): string[] {
  const names = new Set(frame.columns.map((c) => c.name));
  for (const name of [...exclude, ...(features ?? [])]) {
    if (!names.has(name)) throw datasetInvalid(`column "${name}" is not in the dataset`, { column: name });
  }
  if (features?.includes(target) && !targetIsInput) {
    throw datasetInvalid(`target column "${target}" cannot also be a feature`, { column: target });
  }
  const wanted = new Set(features ?? names);
  const excluded = new Set(targetIsInput ? exclude : [...exclude, target]);
  const selected = frame.columns.map((c) => c.name).filter((n) => wanted.has(n) && !excluded.has(n));
  if (selected.length === 0) throw datasetInvalid('no feature columns remain after excluding the target and `exclude`');
  return selected;
}
