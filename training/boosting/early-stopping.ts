/**
 * LightGBM's early_stopping callback: stop when the validation metric (lower is better) has not
 * improved for `rounds` consecutive iterations; the model keeps the best iteration.
 */
export class EarlyStopping {
  bestIteration = -1;
  bestScore = Number.POSITIVE_INFINITY;

  constructor(private readonly rounds: number) {}

  /** Records the metric of iteration `iteration` (0-based); returns true when training should stop. */
  update(iteration: number, score: number): boolean {
    if (score < this.bestScore) {
      this.bestScore = score;
      this.bestIteration = iteration;
    }
    return this.rounds > 0 && iteration - this.bestIteration >= this.rounds;
  }
}
