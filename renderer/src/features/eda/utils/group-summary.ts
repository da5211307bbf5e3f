import { percent } from '../../../components/chart-figure';

/** A band or group in words for a chart's text summary: "Normal: 120 patients, 21.7 % diabetic". */
export function groupSummary(group: { label: string; count: number; positiveRate: number | null }): string {
  return `${group.label}: ${group.count} patients${group.positiveRate === null ? '' : `, ${percent(group.positiveRate)} diabetic`}`;
}
