/** Equal-width bin edges, numpy.linspace(first, last, bins + 1): edge i = first + i·step, the last edge exactly `last`. */
export function linspaceEdges(first: number, last: number, bins: number): Float64Array {
  const edges = new Float64Array(bins + 1);
  const step = (last - first) / bins;
  for (let i = 0; i < bins; i++) edges[i] = i * step + first;
  edges[bins] = last;
  return edges;
}

/**
 * numpy.histogram_bin_edges(data, bins='sturges') for data with the given min, max and size:
 * width = (max - min) / (log2(size) + 1), ceil((max - min) / width) equal bins; a constant sample gets [v-0.5, v+0.5].
 */
export function sturgesEdges(min: number, max: number, size: number): Float64Array {
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const width = (max - min) / (Math.log2(size) + 1);
  const bins = width ? Math.ceil((last - first) / width) : 1;
  return linspaceEdges(first, last, bins);
}

/**
 * Counts per bin as numpy.histogram with explicit edges: bin i is [e_i, e_{i+1}), the last bin also holds e_last;
 * values outside [e_0, e_last] and NaN are not counted.
 */
export function histogramCounts(data: ArrayLike<number>, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const counts = new Uint32Array(bins);
  const first = edges[0];
  const last = edges[bins];
  const scale = bins / (last - first);
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    if (!(x >= first && x <= last)) continue;
    // Arithmetic guess, then corrected against the actual edges so floating-point rounding cannot misplace x.
    let b = ((x - first) * scale) | 0; // non-negative here, so truncation is the floor
    if (b >= bins) b = bins - 1;
    while (b > 0 && x < edges[b]) b--;
    while (b < bins - 1 && x >= edges[b + 1]) b++;
    counts[b]++;
  }
  return Float64Array.from(counts);
}
