/** numpy.round semantics for scalars: ties go to the even neighbour (scipy rounds h and n with it). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  if (Math.abs(x % 1) === 0.5 && r % 2 !== 0) return r - 1;
  return r;
}
