export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function fmt(n: number, digits = 2): string {
  return Number.isFinite(n) ? n.toFixed(digits) : String(n);
}

/** Prints one figure the way every bench here does: name, value, unit, and the target when there is one. */
export function report(name: string, value: string, target?: string): void {
  console.log(`${name.padEnd(46)} ${value.padStart(14)}${target ? `   target ${target}` : ''}`);
}
