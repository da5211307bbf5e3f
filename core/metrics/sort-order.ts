/** Row indices ordered by score, ascending; rejects NaN scores (sklearn rejects them too). */
export function ascendingOrder(scores: ArrayLike<number>): Uint32Array {
  const n = scores.length;
  const order = new Uint32Array(n);
  // Stryker disable next-line EqualityOperator: at i = n the NaN check sees undefined and the typed array ignores the write
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    if (Number.isNaN(s)) throw new RangeError(`score at index ${i} is NaN`);
    order[i] = i;
  }
  order.sort((a, b) => scores[a] - scores[b]);
  return order;
}
