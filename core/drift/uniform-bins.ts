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
 * values outside [e_0, e_last] and NaN are not counted. A long column of small integers (the batch's integer
 * clinical inputs as the drift observer keeps them) is counted per value first and each distinct value placed once.
 */
export function histogramCounts(data: ArrayLike<number>, edges: Float64Array): Float64Array {
  if (data instanceof Uint16Array && data.length >= SMALL_INTEGER_VALUES) return smallIntegerHistogram(data, edges);
  const bins = edges.length - 1;
  const counts = new Uint32Array(bins);
  const scale = bins / (edges[bins] - edges[0]);
  for (let i = 0; i < data.length; i++) {
    const b = binOf(data[i], edges, scale);
    if (b >= 0) counts[b]++;
  }
  return Float64Array.from(counts);
}

const SMALL_INTEGER_VALUES = 1 << 16;

function smallIntegerHistogram(data: Uint16Array, edges: Float64Array): Float64Array {
  const perValue = new Uint32Array(SMALL_INTEGER_VALUES);
  for (let i = 0; i < data.length; i++) perValue[data[i]]++;
  const counts = new Float64Array(edges.length - 1);
  const scale = (edges.length - 1) / (edges[edges.length - 1] - edges[0]);
  for (let value = 0; value < SMALL_INTEGER_VALUES; value++) {
    if (perValue[value] === 0) continue;
    const b = binOf(value, edges, scale);
    if (b >= 0) counts[b] += perValue[value];
  }
  return counts;
}

/** The bin of x (-1 outside the edges or NaN), `scale` being bins / (last edge - first edge). */
function binOf(x: number, edges: Float64Array, scale: number): number {
  const bins = edges.length - 1;
  const first = edges[0];
  if (!(x >= first && x <= edges[bins])) return -1;
  // Arithmetic guess, then corrected against the actual edges so floating-point rounding cannot misplace x.
  let b = ((x - first) * scale) | 0; // non-negative here, so truncation is the floor
  if (b >= bins) b = bins - 1;
  while (b > 0 && x < edges[b]) b--;
  while (b < bins - 1 && x >= edges[b + 1]) b++;
  return b;
}
