import type { AlertRecord, WeeklyPerformance } from '../api/monitoring-types';
import type { DriftReport } from '../drift/drift-report';
import { formatPercent } from '../util/format-percent';
import { escapeHtml, lineChart } from './svg-chart';

/** One batch of the period, as the report shows it (counts only: the report holds no patient row). */
export interface ReportBatch {
  batchId: number;
  fileName: string;
  predictionDate: string;
  modelVersion: string | null;
  rowsValid: number;
  counts: { High: number; Medium: number; Low: number };
  drift: Pick<DriftReport, 'datasetDrift' | 'driftedFeatures' | 'importance' | 'output'> | null;
}

export interface GovernanceReportData {
  period: { from: string; to: string };
  generatedAt: string;
  generatedBy: string;
  productionVersion: string | null;
  recallTarget: number;
  recallAlertBelow: number;
  batches: ReportBatch[];
  weeks: WeeklyPerformance[];
  alerts: AlertRecord[];
  /** The audit chain's head when the report was made, so a reader can tie the report to the log. */
  auditHead: { seq: number; hash: string } | null;
}

/**
 * The drift and monitoring state of a period as one self-contained, printable HTML page (inline CSS and SVG, no
 * script), for governance meetings. Every text from the database is escaped.
 */
export function renderGovernanceReport(data: GovernanceReportData): string {
  const e = escapeHtml;
  const screened = data.batches.reduce((sum, b) => sum + b.rowsValid, 0);
  const high = data.batches.reduce((sum, b) => sum + b.counts.High, 0);
  const open = data.alerts.filter((a) => a.acknowledgedAt === null);
  const weeks = [...data.weeks].sort((a, b) =>
    a.week === b.week ? a.modelVersion.localeCompare(b.modelVersion) : a.week < b.week ? -1 : 1,
  );
  const driftedBatches = data.batches.filter(
    (b) => b.drift && (b.drift.datasetDrift.drifted || b.drift.importance?.drifted || b.drift.output?.drifted),
  );

  const performanceChart =
    weeks.length === 0
      ? '<p>No labelled predictions in this period.</p>'
      : lineChart({
          title: 'Realised performance per ISO week',
          labels: weeks.map((w) => `${w.week}${versionsIn(weeks) > 1 ? ` ${w.modelVersion}` : ''}`),
          series: [
            { name: 'Recall', colour: '#0b6e6e', values: weeks.map((w) => w.recall) },
            { name: 'Precision', colour: '#7a5195', values: weeks.map((w) => w.precision) },
            { name: 'F2', colour: '#ef5675', values: weeks.map((w) => w.f2) },
            { name: 'AUC', colour: '#ffa600', values: weeks.map((w) => w.auc) },
          ],
          yMin: 0,
          yMax: 1,
          lines: [
            { value: data.recallTarget, label: `recall target ${data.recallTarget}` },
            { value: data.recallAlertBelow, label: `alert below ${data.recallAlertBelow}` },
          ],
        });
  const outputChart =
    data.batches.length === 0
      ? ''
      : lineChart({
          title: 'Share of High per batch, against the reference',
          labels: data.batches.map((b) => String(b.batchId)),
          series: [
            {
              name: 'Batch',
              colour: '#0b6e6e',
              values: data.batches.map((b) => (b.rowsValid > 0 ? b.counts.High / b.rowsValid : null)),
            },
            {
              name: 'Reference',
              colour: '#888',
              values: data.batches.map((b) => b.drift?.output?.highShare.referenceShare ?? null),
            },
          ],
          yMin: 0,
          yMax: 1,
        });

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Glucoscreen monitoring report ${e(data.period.from)} to ${e(data.period.to)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#1a1a1a;max-width:60rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0}
th,td{border:1px solid #ccc;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#f1f5f5}.num{text-align:right}.bad{color:#b42318;font-weight:600}.ok{color:#1e6b3a}
.summary{display:flex;gap:1.5rem;flex-wrap:wrap}.summary div{border:1px solid #ccc;padding:.5rem .75rem}
figure{margin:.5rem 0}footer{margin-top:2rem;font-size:.8rem;color:#555}
@media print{body{margin:1cm}h2{break-after:avoid}table,figure{break-inside:avoid}}
</style></head><body>
<h1>Glucoscreen: drift and monitoring report</h1>
<p>Period ${e(data.period.from)} to ${e(data.period.to)} · generated ${e(data.generatedAt)} by ${e(data.generatedBy)} ·
production model ${e(data.productionVersion ?? 'none')}</p>
<div class="summary">
<div>Batches<br><strong>${data.batches.length}</strong></div>
<div>Patients scored<br><strong>${screened}</strong></div>
<div>High<br><strong>${screened > 0 ? formatPercent(high / screened) : '—'}</strong></div>
<div>Batches with drift of any kind<br><strong>${driftedBatches.length}</strong></div>
<div>Alerts raised<br><strong>${data.alerts.length}</strong> (${open.length} open)</div>
</div>

<h2>Realised performance (delayed labels)</h2>
${performanceChart}
${
  weeks.length === 0
    ? ''
    : `<table><thead><tr><th>Week</th><th>Model</th><th class="num">Labelled</th><th class="num">Positives</th>
<th class="num">Recall</th><th class="num">Precision</th><th class="num">F2</th><th class="num">AUC</th><th>Status</th></tr></thead><tbody>
${weeks
  .map(
    (
      w,
    ) => `<tr><td>${e(w.week)}</td><td>${e(w.modelVersion)}</td><td class="num">${w.n}</td><td class="num">${w.positives}</td>
<td class="num${w.judged && w.recall !== null && w.recall < data.recallAlertBelow ? ' bad' : ''}">${rate(w.recall)}</td>
<td class="num">${rate(w.precision)}</td><td class="num">${rate(w.f2)}</td><td class="num">${rate(w.auc)}</td><td>${e(w.status)}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`
}

<h2>Drift per batch</h2>
${outputChart}
${
  data.batches.length === 0
    ? '<p>No batch in this period.</p>'
    : `<table><thead><tr><th>Batch</th><th>File</th><th>Date</th><th>Model</th><th class="num">Patients</th>
<th>Dataset verdict</th><th>Important features</th><th>Output</th></tr></thead><tbody>
${data.batches
  .map((b) => {
    const d = b.drift;
    return `<tr><td>${b.batchId}</td><td>${e(b.fileName)}</td><td>${e(b.predictionDate.slice(0, 10))}</td><td>${e(b.modelVersion ?? '')}</td>
<td class="num">${b.rowsValid}</td>
<td>${d ? (d.datasetDrift.drifted ? `<span class="bad">drift</span>: ${e(d.driftedFeatures.join(', '))}` : '<span class="ok">no drift</span>') : 'not checked'}</td>
<td>${d?.importance ? (d.importance.drifted ? `<span class="bad">drift</span>: ${e(d.importance.driftedImportant.join(', '))}` : '<span class="ok">none</span>') : '—'}</td>
<td>${d?.output ? (d.output.drifted ? `<span class="bad">shifted</span>: High ${formatPercent(d.output.highShare.currentShare)} vs ${formatPercent(d.output.highShare.referenceShare)}` : '<span class="ok">as reference</span>') : '—'}</td></tr>`;
  })
  .join('\n')}
</tbody></table>`
}

<h2>Alerts</h2>
${
  data.alerts.length === 0
    ? '<p>No alert was raised in this period.</p>'
    : `<table><thead><tr><th>Raised</th><th>Kind</th><th>Message</th><th>Acknowledged</th></tr></thead><tbody>
${data.alerts
  .map(
    (a) => `<tr><td>${e(a.raisedAt)}</td><td>${e(a.kind)}</td><td>${e(a.message)}</td>
<td>${a.acknowledgedAt ? `${e(a.acknowledgedBy ?? '')}, ${e(a.acknowledgedAt)}` : '<span class="bad">open</span>'}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`
}
<footer>Counts only: this report holds no patient's data.${
    data.auditHead
      ? ` Audit chain head when made: event ${data.auditHead.seq}, ${e(data.auditHead.hash.slice(0, 16))}….`
      : ''
  }</footer>
</body></html>
`;
}

function versionsIn(weeks: readonly WeeklyPerformance[]): number {
  return new Set(weeks.map((w) => w.modelVersion)).size;
}

function rate(x: number | null): string {
  return x === null ? '—' : x.toFixed(3);
}
