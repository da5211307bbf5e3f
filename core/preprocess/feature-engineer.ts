import { AGE_GROUP_EDGES, BMI_CATEGORY_EDGES } from '../schema/columns';

/**
 * Right-inclusive binning as pandas.cut(right=True): bin k holds (edge[k-1], edge[k]]. Values at or below the first
 * edge go to bin 0 and values above the last edge to the last bin, so BMI > 100 or Age > 120 cannot crash anything
 * (a bin lookup that returned undefined for them would).
 */
function binRightInclusive(value: number, edges: readonly number[]): number {
  if (Number.isNaN(value)) return Number.NaN;
  let bin = 0;
  while (
    // Stryker disable next-line ConditionalExpression,EqualityOperator: edges[edges.length] is undefined, and no value is greater than undefined
    bin < edges.length &&
    value > edges[bin]
  )
    bin++;
  return bin;
}

/** 0 underweight (<= 18.5), 1 normal (<= 25), 2 overweight (<= 30), 3 obese. */
export function bmiCategory(bmi: number): number {
  return binRightInclusive(bmi, BMI_CATEGORY_EDGES);
}

/** 0: <= 30, 1: <= 45, 2: <= 60, 3: older. */
export function ageGroup(age: number): number {
  return binRightInclusive(age, AGE_GROUP_EDGES);
}

export function engineerInto(
  glucose: Float64Array,
  bmi: Float64Array,
  age: Float64Array,
  out: { bmiCategory: Float64Array; ageGroup: Float64Array; glucoseBmi: Float64Array },
): void {
  for (let i = 0; i < glucose.length; i++) {
    out.bmiCategory[i] = bmiCategory(bmi[i]);
    out.ageGroup[i] = ageGroup(age[i]);
    out.glucoseBmi[i] = glucose[i] * bmi[i];
  }
}
