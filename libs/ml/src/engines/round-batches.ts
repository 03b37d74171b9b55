/** A trip to the engine thread should take about this long once the pace of a round is known. */
const TARGET_TRIP_MS = 25;
const MAX_ROUNDS_PER_TRIP = 64;

/**
 * How many boosting rounds to run per trip to the engine thread. One at first; then as many as fit in about 25 ms
 * at the pace seen so far. On small data a round takes about a millisecond, and a trip per round would add a thread
 * hand-off and an OpenMP wake-up to each; on large data a round is long and every trip holds one. Either way a
 * cancellation or a pruning decision lands within a trip.
 */
export class RoundBatches {
  private msPerRound: number | null = null;

  /** Rounds for the next trip, at most `limit` (the rounds left before a checkpoint or the end). */
  next(limit: number): number {
    const fit = this.msPerRound === null ? 1 : Math.floor(TARGET_TRIP_MS / Math.max(this.msPerRound, 1e-3));
    return Math.max(1, Math.min(limit, MAX_ROUNDS_PER_TRIP, fit));
  }

  /** Records a trip: `rounds` took `ms`. Follows the recent pace (the first round also builds the engine's caches). */
  observe(rounds: number, ms: number): void {
    const pace = ms / Math.max(1, rounds);
    this.msPerRound = this.msPerRound === null ? pace : (this.msPerRound + pace) / 2;
  }
}

/** Rounds until the next multiple of `every` after `done` (or until `total` without checkpoints). */
export function roundsToBoundary(done: number, total: number, every: number | undefined): number {
  const toEnd = total - done;
  if (!every) return toEnd;
  return Math.min(toEnd, every - (done % every));
}
