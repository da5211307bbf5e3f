/** p-values of strong drift are tiny: scientific notation below 0.001, so they never print as 0.000. */
export function formatDriftScore(score: number | null): string {
  if (score === null) return '—';
  return score !== 0 && Math.abs(score) < 0.001 ? score.toExponential(2) : score.toFixed(3);
}
