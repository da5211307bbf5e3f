/**
 * The Shapley values of one leaf, for every agreement pattern at once. The path-dependent value function
 * restricted to one leaf is a product game, so its Shapley values have a closed form that depends on the row only
 * through WHICH of the leaf's path features the row agrees with (the idea behind Yang 2021, "Fast TreeSHAP",
 * algorithm v2):
 *
 *   leaf l, value v, unique path features F (d of them), zero fraction z_j = product of count(child)/count(node)
 *   over the path's splits on j, and for a row the set A of features whose every split on the path the row follows.
 *   The leaf's share of v(S) is v * prod_{j in S} [j in A] * prod_{j in F\S} z_j, whose Shapley values are
 *     i not in A:  phi_i = -v * Q(A)
 *     i in A:      phi_i = v * (1 - z_i) / z_i * Q(A \ {i})
 *   with Q(B) = prod_{j in F\B} z_j * sum_{S subset of B} w(|S|) prod_{j in B\S} z_j and w(k) = k!(d-1-k)!/d!.
 *
 * (for i not in A, A \ {i} = A, so one formula serves both: phi_i = v * ([i in A] / z_i - 1) * Q(A \ {i})).
 */

/**
 * table[A * d + k] = phi_k for agreement pattern A = value * ([k in A] / z_k - 1) * Q(A \ {k}), where
 * Q(B) = prod_{j not in B} z_j * sum_m w(m) * c_m(B) and c_m(B) is the coefficient of t^m in prod_{j in B}(t + z_j)
 * (the sum over |S| = m subsets S of B of prod_{j in B\S} z_j), w(m) = m! (d-1-m)! / d!.
 */
export function fillLeafTable(zero: readonly number[], value: number, table: Float64Array): void {
  const d = zero.length;
  const size = 1 << d;
  const full = size - 1;
  const stride = d + 1;
  const poly = new Float64Array(size * stride);
  const prodIn = new Float64Array(size);
  const sizeOf = new Uint8Array(size);
  poly[0] = 1;
  prodIn[0] = 1;
  for (let b = 1; b < size; b++) {
    const low = b & -b;
    const k = 31 - Math.clz32(low);
    const p = b ^ low;
    const z = zero[k];
    const pc = sizeOf[p];
    sizeOf[b] = pc + 1;
    const from = p * stride;
    const to = b * stride;
    // Multiply the polynomial of p by (t + z).
    poly[to] = z * poly[from];
    for (let m = 1; m <= pc; m++) poly[to + m] = poly[from + m - 1] + z * poly[from + m];
    poly[to + pc + 1] = poly[from + pc];
    prodIn[b] = prodIn[p] * z;
  }
  const w = new Float64Array(d);
  let binomial = 1; // C(d-1, m)
  for (let m = 0; m < d; m++) {
    w[m] = 1 / (d * binomial);
    binomial = (binomial * (d - 1 - m)) / (m + 1);
  }
  // The full set never has a feature outside it, so Q(full) is not needed.
  const q = new Float64Array(size);
  for (let b = 0; b < full; b++) {
    let sum = 0;
    for (let m = 0; m <= sizeOf[b]; m++) sum += w[m] * poly[b * stride + m];
    q[b] = value * prodIn[full ^ b] * sum;
  }
  for (let a = 0; a < size; a++) {
    for (let k = 0; k < d; k++) {
      const on = (a >>> k) & 1;
      table[a * d + k] = on ? ((1 - zero[k]) / zero[k]) * q[a ^ (1 << k)] : -q[a];
    }
  }
}
