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

/**
 * A Trainyard / peer ratio whose two sides ran back to back in each repeat. The median of those paired ratios
 * cancels most of a neighbour's drifting load, so it is the figure held to the target; each repeat's ratio and the
 * ratio of the median times are printed beside it. With a single repeat there is only the one ratio.
 */
export function reportPairedRatio(label: string, ofMedians: number, paired: readonly number[], target: string, digits: number): void {
  if (paired.length < 2) {
    report(label, fmt(ofMedians, digits), target);
    return;
  }
  const sorted = [...paired].sort((a, b) => a - b);
  report(`${label}, median of paired repeats`, fmt(percentile(sorted, 50), digits), target);
  report(`${label} per repeat, lowest to highest`, sorted.map((r) => fmt(r, digits)).join(' '));
  report(`${label}, ratio of median times`, fmt(ofMedians, digits));
}
