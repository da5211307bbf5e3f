/** "12 × no prediction for this patient; 3 × diagnosed before the first prediction", most frequent first. */
export function reasonCounts(reasons: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${n} × ${reason}`)
    .join('; ');
}
