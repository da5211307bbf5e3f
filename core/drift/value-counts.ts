/** Counts of each distinct non-missing value, keyed by the value. */
export function valueCounts(data: ArrayLike<number>): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (Number.isNaN(v)) continue;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return counts;
}

/** Union of the keys of both count maps, ascending. */
export function unionKeys(a: Map<number, number>, b: Map<number, number>): number[] {
  const keys = new Set<number>(a.keys());
  for (const k of b.keys()) keys.add(k);
  return [...keys].sort((x, y) => x - y);
}

export function totalOf(counts: Map<number, number>): number {
  let total = 0;
  for (const c of counts.values()) total += c;
  return total;
}
