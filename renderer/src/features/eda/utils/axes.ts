/** Feature names along the x axis: every one shown, slanted so that they fit. */
export const FEATURE_AXIS = { dataKey: 'feature', interval: 0, angle: -30, textAnchor: 'end', height: 70 } as const;

/** Bin edges as short ticks: two decimals for small values (DiabetesPedigreeFunction), whole numbers otherwise. */
export function binTick(value: number): string {
  return Number.isInteger(value) ? String(value) : Math.abs(value) < 10 ? value.toFixed(2) : value.toFixed(0);
}
