import type { DriftReport, FeatureDrift } from './drift-report';

/** A score as people read it: p-values in scientific notation when small, distances to 4 digits. */
export function formatScore(score: number | null): string {
  if (score === null) return 'n/a';
  if (score !== 0 && Math.abs(score) < 1e-3) return score.toExponential(2);
  return score.toPrecision(4);
}

function percent(x: number | null): string {
  return x === null ? '-' : `${(100 * x).toFixed(1)}%`;
}

/** Plain-text drift summary for the CLI (one verdict line, then one line per feature, drifted first). */
export function driftSummaryLines(report: DriftReport): string[] {
  const d = report.datasetDrift;
  const lines = [
    `Data drift: ${d.drifted ? 'DETECTED' : 'not detected'}: ${d.driftedCount} of ${d.featureCount} features drifted ` +
      `(share ${d.share.toFixed(2)} vs ${d.shareThreshold}, count ${d.driftedCount} vs ${d.countThreshold}, rule ${d.rule}); ` +
      `reference ${report.referenceRows} rows, current ${report.currentRows} rows`,
    `  ${'feature'.padEnd(26)}${'test'.padEnd(32)}${'score'.padStart(10)}${'threshold'.padStart(11)}  drift  zeros ref -> cur`,
  ];
  for (const f of report.features) lines.push(featureLine(f));
  return lines;
}

function featureLine(f: FeatureDrift): string {
  const zeros =
    f.referenceZeroShare === null ? '' : `${percent(f.referenceZeroShare)} -> ${percent(f.currentZeroShare)}`;
  const mark = f.zeroShareShift ? ' (zero share shifted)' : '';
  const note = f.note ? `  [${f.note}]` : '';
  return (
    `  ${f.feature.padEnd(26)}${f.methodLabel.padEnd(32)}${formatScore(f.score).padStart(10)}` +
    `${String(f.threshold).padStart(11)}  ${(f.drifted ? 'YES' : 'no').padEnd(5)}  ${zeros}${mark}${note}`
  );
}
