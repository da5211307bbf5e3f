import type { RiskCategory } from '../api/outputs';
import type { ScoreDistribution, ShadowStatus, SideMetrics } from '../api/shadow-types';

/** The shadow comparison as plain text lines (`npm run monitor -- --shadow`). */

const CATEGORIES: readonly RiskCategory[] = ['High', 'Medium', 'Low'];

const fixed = (x: number | null, digits = 3) => (x === null ? 'n/a' : x.toFixed(digits));
const percent = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)} %`);

function distributionLine(label: string, d: ScoreDistribution): string {
  const q = d.quantiles;
  return q
    ? `  ${label}: n ${d.n}, mean ${fixed(d.mean)}, p05 ${fixed(q.p05)}, p25 ${fixed(q.p25)}, median ${fixed(q.p50)}, p75 ${fixed(q.p75)}, p95 ${fixed(q.p95)}; per 0.1: ${d.histogram.join(' ')}`
    : `  ${label}: no scores`;
}

function metricsLine(label: string, m: SideMetrics): string {
  return `  ${label}: recall ${fixed(m.recall)}, precision ${fixed(m.precision)}, F2 ${fixed(m.f2)}, AUC ${fixed(m.auc)} (tp ${m.tp}, fp ${m.fp}, fn ${m.fn}, tn ${m.tn})`;
}

export function shadowStatusLines(status: ShadowStatus): string[] {
  const lines: string[] = [];
  const current = status.current;
  lines.push(
    current
      ? `Shadow: ${current.modelVersion} (${current.modelId}), put in shadow by ${current.assignedBy} on ${current.assignedAt}`
      : 'Shadow: none assigned (npm run monitor -- --set-shadow VERSION_OR_ID)',
  );
  const c = status.comparison;
  if (!c) {
    lines.push('  no batch has shadow scores yet');
    return lines;
  }
  const scored = c.batches.filter((b) => b.status === 'scored');
  const failed = c.batches.filter((b) => b.status === 'failed');
  lines.push(
    `Comparison of shadow ${c.shadowVersion} with production ${c.productionVersions.join(', ') || 'n/a'}: ` +
      `${scored.length} batch(es) scored, ${failed.length} failed`,
  );
  for (const b of failed)
    lines.push(`  batch ${b.batchId} (${b.predictionDate}): shadow failed: ${b.error ?? 'unknown'}`);
  const a = c.agreement;
  lines.push(
    `Recommendation agreement: ${a.agreeing} of ${a.n} patients (${percent(a.rate)}); ` +
      `production only ${a.productionOnly}, shadow only ${a.shadowOnly}`,
  );
  lines.push('Category flips (rows: production, columns: shadow):');
  lines.push(`  ${''.padEnd(8)}${CATEGORIES.map((k) => k.padStart(9)).join('')}`);
  for (const from of CATEGORIES) {
    lines.push(`  ${from.padEnd(8)}${CATEGORIES.map((to) => String(c.flips[from][to]).padStart(9)).join('')}`);
  }
  for (const from of CATEGORIES) {
    for (const to of CATEGORIES) {
      if (from !== to && c.flips[from][to] > 0) lines.push(`  ${c.flips[from][to]} ${from} would become ${to}`);
    }
  }
  lines.push('Score distributions:');
  lines.push(distributionLine('production', c.distributions.production));
  lines.push(distributionLine('shadow    ', c.distributions.shadow));
  const l = c.labelled;
  lines.push(`On the same labelled patients: ${l.labelledPatients} (${l.positives} with diabetes)`);
  if (l.labelledPatients === 0) {
    lines.push('  no labels yet for patients the shadow scored: import labels with npm run labels');
    return lines;
  }
  lines.push(metricsLine('production', l.production));
  lines.push(metricsLine('shadow    ', l.shadow));
  const m = l.mcnemar;
  lines.push(
    `McNemar (${m.method === 'exact' ? 'exact binomial' : `chi-square with continuity correction, ${fixed(m.statistic)}`}): ` +
      `only production right ${m.productionOnlyRight}, only shadow right ${m.shadowOnlyRight}, p = ${m.pValue.toPrecision(3)}`,
  );
  const d = l.decision;
  lines.push(
    d.decided
      ? `Decision: the ${d.decided} model is right more often (${d.reason})`
      : `Decision: not yet; ${d.weeksNeeded === null ? 'cannot estimate when' : `about ${d.weeksNeeded} more week(s) at the current labelling rate`} (${d.reason})`,
  );
  return lines;
}
