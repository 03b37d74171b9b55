/**
 * The early-stopping patience a network trains with: the one asked for (0 turns it off), else `fallback` when there
 * is a validation set to watch, else none.
 */
export function patience(asked: number | null, fallback: number, hasValidation: boolean): number | null {
  if (asked === 0) return null;
  return asked ?? (hasValidation ? fallback : null);
}
