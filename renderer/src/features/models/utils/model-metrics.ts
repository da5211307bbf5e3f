import type { ModelVersionDto } from '@contract/admin-outputs';

/** A headline metric: the held-out test value when the bundle has one, else the validation estimate. */
function metricNumber(v: ModelVersionDto, key: string): number | null {
  const test = v.testMetrics[key];
  if (typeof test === 'number') return test;
  const validation = v.validationEstimates?.[key];
  return typeof validation === 'number' ? validation : null;
}

export function metricValue(v: ModelVersionDto, key: string): string {
  const n = metricNumber(v, key);
  return n === null ? '—' : n.toFixed(3);
}

/** Every numeric entry of a metric bag, flattened one level ("recall", "subgroups.age.recall" is left out). */
export function numericEntries(bag: Record<string, unknown> | null): [string, number][] {
  if (!bag) return [];
  return Object.entries(bag).filter((e): e is [string, number] => typeof e[1] === 'number');
}
