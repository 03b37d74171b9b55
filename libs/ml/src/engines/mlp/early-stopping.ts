import type { ParamSpec } from '../linear/param-spec';

/**
 * The early-stopping patience a network trains with: the one asked for (0 turns it off), else `fallback` when there
 * is a validation set to watch, else none.
 */
export function patience(asked: number | null, fallback: number, hasValidation: boolean): number | null {
  if (asked === 0) return null;
  return asked ?? (hasValidation ? fallback : null);
}

/** The networks' `earlyStoppingRounds` table entry; `fallback` is the patience used when it is unset. */
export function earlyStoppingSpec(fallback: number): ParamSpec {
  return {
    kind: 'int',
    min: 0,
    max: 100_000,
    doc: "Stop after this many epochs without a lower validation loss, and keep the best epoch's weights; 0 trains every epoch, and any other value needs a validation split.",
    unset: `\`${fallback}\` with a validation split, else off`,
  };
}
