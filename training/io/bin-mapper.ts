/**
 * Feature discretisation with LightGBM's rules (src/io/bin.cpp: FindBinWithZeroAsOneBin, GreedyFindBin):
 * bin edges at midpoints between distinct values, at least minDataInBin rows per bin, zero kept in a bin
 * of its own, NaN in an extra last bin when the training data has NaN.
 *
 * Difference from LightGBM, on purpose: values are binned as float32 (Math.fround) and each edge is moved
 * to a float32 number between the two neighbouring training values, so that a tree threshold means the
 * same thing for the float64 trainer and the float32 ONNX runtime.
 */

/** LightGBM's kZeroThreshold: |x| <= this counts as zero. */
const ZERO_THRESHOLD = 1e-35;

type MissingType = 'none' | 'nan';

export interface BinMapper {
  /** Number of bins including the NaN bin. */
  numBins: number;
  /** Upper bound per value bin (float32-representable; the last value bin is +Infinity). */
  upperBounds: Float64Array;
  missingType: MissingType;
  /** Index of the NaN bin, or -1. */
  nanBin: number;
  /** A feature with a single value bin cannot be split. */
  trivial: boolean;
}

/** LightGBM's GreedyFindBin: upper bounds (the last is +Infinity) over sorted distinct values. */
export function greedyFindBin(
  distinct: ArrayLike<number>,
  counts: ArrayLike<number>,
  maxBinIn: number,
  totalCount: number,
  minDataInBin: number,
): number[] {
  const n = distinct.length;
  const bounds: number[] = [];
  if (n === 0) return [Number.POSITIVE_INFINITY];
  if (n <= maxBinIn) {
    let inBin = 0;
    for (let i = 0; i < n - 1; i++) {
      inBin += counts[i];
      if (inBin >= minDataInBin) {
        const value = (distinct[i] + distinct[i + 1]) / 2;
        if (bounds.length === 0 || bounds[bounds.length - 1] !== value) {
          bounds.push(value);
          inBin = 0;
        }
      }
    }
    bounds.push(Number.POSITIVE_INFINITY);
    return bounds;
  }
  let maxBin = maxBinIn;
  if (minDataInBin > 0) maxBin = Math.max(1, Math.min(maxBin, Math.floor(totalCount / minDataInBin)));
  let meanBinSize = totalCount / maxBin;
  let restBinCount = maxBin;
  let restSampleCount = totalCount;
  const isBig = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (counts[i] >= meanBinSize) {
      isBig[i] = 1;
      restBinCount--;
      restSampleCount -= counts[i];
    }
  }
  meanBinSize = restSampleCount / restBinCount;
  const upper: number[] = new Array(maxBin).fill(Number.POSITIVE_INFINITY);
  const lower: number[] = new Array(maxBin).fill(Number.POSITIVE_INFINITY);
  let binCount = 0;
  lower[0] = distinct[0];
  let inBin = 0;
  for (let i = 0; i < n - 1; i++) {
    if (!isBig[i]) restSampleCount -= counts[i];
    inBin += counts[i];
    if (isBig[i] || inBin >= meanBinSize || (isBig[i + 1] && inBin >= Math.max(1, meanBinSize * 0.5))) {
      upper[binCount] = distinct[i];
      binCount++;
      lower[binCount] = distinct[i + 1];
      if (binCount >= maxBin - 1) break;
      inBin = 0;
      if (!isBig[i]) {
        restBinCount--;
        meanBinSize = restSampleCount / restBinCount;
      }
    }
  }
  binCount++;
  for (let i = 0; i < binCount - 1; i++) {
    const value = (upper[i] + lower[i + 1]) / 2;
    if (bounds.length === 0 || bounds[bounds.length - 1] !== value) bounds.push(value);
  }
  bounds.push(Number.POSITIVE_INFINITY);
  return bounds;
}

function distinctWithCounts(sorted: Float64Array): { values: number[]; counts: number[] } {
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (values.length > 0 && values[values.length - 1] === sorted[i]) counts[counts.length - 1]++;
    else {
      values.push(sorted[i]);
      counts.push(1);
    }
  }
  return { values, counts };
}

/** Largest float32 strictly below a positive-or-negative finite float32 value. */
function float32Below(value: number): number {
  const buf = new Float32Array([value]);
  const bits = new Int32Array(buf.buffer);
  if (value === 0) return -1.401298464324817e-45;
  if (value > 0) bits[0] -= 1;
  else bits[0] += 1;
  return buf[0];
}

/**
 * Snaps each bound to a float32 t with (largest value below) <= t < (smallest value above), so that
 * x <= t splits the float32 training values exactly as the float64 midpoint did.
 */
function snapToFloat32(bounds: number[], values: number[]): number[] {
  const out: number[] = [];
  let j = 0;
  for (const bound of bounds) {
    if (bound === Number.POSITIVE_INFINITY) {
      out.push(bound);
      continue;
    }
    while (j < values.length && values[j] <= bound) j++;
    const below = j > 0 ? values[j - 1] : Number.NEGATIVE_INFINITY;
    const above = j < values.length ? values[j] : Number.POSITIVE_INFINITY;
    let t = Math.fround(bound);
    if (t >= above) t = Number.isFinite(below) ? below : float32Below(above);
    if (t < below) t = below;
    if (out.length === 0 || out[out.length - 1] < t) out.push(t);
  }
  return out;
}

/** Builds the bin mapper of one feature from its training values (float64, NaN = missing). */
export function fitBinMapper(column: ArrayLike<number>, maxBin: number, minDataInBin: number): BinMapper {
  let nanCount = 0;
  const finite: number[] = [];
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    if (Number.isNaN(v)) nanCount++;
    else finite.push(Math.fround(v));
  }
  const sorted = Float64Array.from(finite).sort();
  const { values, counts } = distinctWithCounts(sorted);
  const missingType: MissingType = nanCount > 0 ? 'nan' : 'none';
  const valueMaxBin = missingType === 'nan' ? maxBin - 1 : maxBin;
  const total = sorted.length;

  // FindBinWithZeroAsOneBin: negatives, the zero bin, positives.
  const leftValues: number[] = [];
  const leftCounts: number[] = [];
  const rightValues: number[] = [];
  const rightCounts: number[] = [];
  let zeroCount = 0;
  let leftTotal = 0;
  let rightTotal = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] <= -ZERO_THRESHOLD) {
      leftValues.push(values[i]);
      leftCounts.push(counts[i]);
      leftTotal += counts[i];
    } else if (values[i] > ZERO_THRESHOLD) {
      rightValues.push(values[i]);
      rightCounts.push(counts[i]);
      rightTotal += counts[i];
    } else zeroCount += counts[i];
  }
  let bounds: number[] = [];
  if (leftValues.length > 0) {
    const leftMaxBin = Math.max(1, Math.floor((leftTotal / Math.max(1, total - zeroCount)) * (valueMaxBin - 1)));
    bounds = greedyFindBin(leftValues, leftCounts, leftMaxBin, leftTotal, minDataInBin);
    bounds[bounds.length - 1] = -ZERO_THRESHOLD;
  }
  if (rightValues.length > 0) {
    const rightMaxBin = Math.max(1, valueMaxBin - 1 - bounds.length);
    const right = greedyFindBin(rightValues, rightCounts, rightMaxBin, rightTotal, minDataInBin);
    bounds.push(ZERO_THRESHOLD, ...right);
  } else bounds.push(Number.POSITIVE_INFINITY);

  // Drop bounds that leave a bin without training values (e.g. the zero bin of a strictly positive feature).
  const snapped = snapToFloat32(bounds, values);
  const useful: number[] = [];
  let k = 0;
  for (const bound of snapped) {
    let inBin = 0;
    while (k < values.length && values[k] <= bound) {
      inBin++;
      k++;
    }
    if (inBin > 0) useful.push(bound);
  }
  if (useful.length === 0 || useful[useful.length - 1] !== Number.POSITIVE_INFINITY) {
    if (useful.length > 0) useful[useful.length - 1] = Number.POSITIVE_INFINITY;
    else useful.push(Number.POSITIVE_INFINITY);
  }
  const valueBins = useful.length;
  const numBins = missingType === 'nan' ? valueBins + 1 : valueBins;
  return {
    numBins,
    upperBounds: Float64Array.from(useful),
    missingType,
    nanBin: missingType === 'nan' ? valueBins : -1,
    trivial: valueBins <= 1,
  };
}

/**
 * Bin of a value. As in LightGBM, NaN of a feature that had no NaN in training is treated as zero.
 * The value is compared as float32, like the ONNX runtime does.
 */
export function valueToBin(mapper: BinMapper, value: number): number {
  if (Number.isNaN(value)) {
    if (mapper.nanBin >= 0) return mapper.nanBin;
    value = 0;
  }
  const x = Math.fround(value);
  const bounds = mapper.upperBounds;
  let lo = 0;
  let hi = bounds.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= bounds[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
