import type { TrialOutcome } from '@trainyard/contracts';

/** Completed trials, best first (ties to the earlier trial). */
export function ranked(outcomes: Map<number, TrialOutcome>, direction: 'maximize' | 'minimize'): [number, TrialOutcome][] {
  const sign = direction === 'maximize' ? -1 : 1;
  return [...outcomes].sort(([na, a], [nb, b]) => sign * (a.value - b.value) || na - nb);
}

/** Only the models of the best `k` trials can still be registered: the others are forgotten (their objects go with the study's). */
export function keepBest(outcomes: Map<number, TrialOutcome>, direction: 'maximize' | 'minimize', k: number): void {
  for (const [number] of ranked(outcomes, direction).slice(Math.max(0, k))) outcomes.delete(number);
}
