/** XGBoost's own attribute names, so Python tooling reads the same best round from a saved model. */
export const BEST_ITERATION_ATTR = 'best_iteration';
export const BEST_SCORE_ATTR = 'best_score';

/** Tracks the best (lowest) validation score by 1-based round and says when patience has run out. */
export class BestRoundTracker {
  constructor(
    private readonly patience: number | null,
    public bestRound: number | null = null,
    public bestScore = Number.POSITIVE_INFINITY,
  ) {}

  /** Rebuilds the tracker from a checkpoint's attributes (best_iteration is 0-based there). */
  static restore(patience: number | null, bestIteration: string | null, bestScore: string | null): BestRoundTracker {
    const iteration = bestIteration === null ? Number.NaN : Number(bestIteration);
    const score = bestScore === null ? Number.NaN : Number(bestScore);
    if (!Number.isInteger(iteration) || Number.isNaN(score)) return new BestRoundTracker(patience);
    return new BestRoundTracker(patience, iteration + 1, score);
  }

  /** Records a round's score; true when no improvement for `patience` rounds. */
  observe(round: number, score: number): boolean {
    if (score < this.bestScore || this.bestRound === null) {
      this.bestScore = score;
      this.bestRound = round;
    }
    return this.patience !== null && round - this.bestRound >= this.patience;
  }
}
