import type { MonitoringSummary } from '@contract/admin-outputs';

/** Pools the weekly subgroup recalls: recovered true positives (recall × positives) over positives. */
export function aggregateSubgroups(data: MonitoringSummary) {
  const groups = new Map<string, { n: number; positives: number; tp: number }>();
  for (const week of data.weeks) {
    for (const s of week.subgroupRecall) {
      const g = groups.get(s.group) ?? { n: 0, positives: 0, tp: 0 };
      g.n += s.n;
      g.positives += s.positives;
      g.tp += s.recall === null ? 0 : Math.round(s.recall * s.positives);
      groups.set(s.group, g);
    }
  }
  return [...groups].map(([group, g]) => ({
    group,
    n: g.n,
    positives: g.positives,
    recall: g.positives > 0 ? g.tp / g.positives : null,
  }));
}

/** A pooled subgroup recall under the alert line: called out in the table in words, not only on the chart. */
export function isBelowAlertLine(recall: number | null, alertRecall: number): boolean {
  return recall !== null && recall < alertRecall;
}
