/**
 * A test's p-value (or statistic) as the drift and alert texts print it; shared by the core's alert messages and the
 * renderer's Drift view so both say the same number for the same batch.
 */
export function formatPValue(x: number | null): string {
  if (x === null) return 'n/a';
  return x < 0.001 ? '< 0.001' : x.toFixed(3);
}
