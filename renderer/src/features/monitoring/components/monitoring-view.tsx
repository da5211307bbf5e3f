import type { MonitoringSummary } from '@contract/admin-outputs';
import type { LabelImportReport } from '@contract/label-types';
import type { ApiError } from '@contract/result';
import { useCallback, useState } from 'react';
import { Bar, BarChart, Line, LineChart, ReferenceLine } from 'recharts';
import { useApi } from '../../../app/api-context';
import { ChartAxes } from '../../../components/chart-axes';
import { CHART_COLORS, ChartFigure, percent } from '../../../components/chart-figure';
import { CsvFileInput } from '../../../components/csv-file-input';
import { ErrorBanner } from '../../../components/error-banner';
import { formatDateTime } from '../../../components/format';
import { SimpleTable } from '../../../components/simple-table';
import { useResult } from '../../../components/use-result';

type MetricKey = 'recall' | 'precision' | 'f2' | 'auc';
const METRICS: { key: MetricKey; label: string }[] = [
  { key: 'recall', label: 'Recall' },
  { key: 'precision', label: 'Precision' },
  { key: 'f2', label: 'F2' },
  { key: 'auc', label: 'AUC-ROC' },
];
const SERIES_COLOURS = [CHART_COLORS.accent, CHART_COLORS.second, CHART_COLORS.third, CHART_COLORS.fourth];

/** Realised weekly performance from delayed labels, label-free estimates, alerts, and the labels import. */
export function MonitoringView() {
  const api = useApi();
  const summary = useResult(useCallback(() => api.monitoringSummary({}), [api]));
  const [report, setReport] = useState<LabelImportReport | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [acknowledged, setAcknowledged] = useState<string | null>(null);
  const data = summary.value;

  return (
    <div className="stack">
      <h1>Monitoring</h1>
      <ErrorBanner error={error ?? summary.error} />
      <section className="panel" aria-labelledby="labels-import">
        <h2 id="labels-import">Import labels</h2>
        <p className="muted">
          A CSV of confirmed diagnoses: patient_id, outcome (0/1) and optionally diagnosis_date. Each label is matched
          to that patient&apos;s latest prediction on or before the diagnosis date.
        </p>
        <CsvFileInput
          label="Labels file"
          disabled={busy}
          onFile={async (file) => {
            setBusy(true);
            const result = await api.importLabels(file);
            setBusy(false);
            if (result.ok) {
              setReport(result.value.report);
              summary.setValue(result.value.monitoring);
              setError(null);
            } else setError(result.error);
          }}
        />
        {busy && <p role="status">Importing …</p>}
        {report && <LabelReport report={report} />}
      </section>

      {data && (
        <>
          <AlertsPanel
            data={data}
            acknowledged={acknowledged}
            onAcknowledge={async (id) => {
              const result = await api.acknowledgeAlert({ alertId: id });
              if (result.ok) {
                setAcknowledged(`Alert ${id} acknowledged.`);
                await summary.reload();
              } else setError(result.error);
            }}
          />
          <WeeklyCharts data={data} />
        </>
      )}
    </div>
  );
}

function LabelReport({ report }: { report: LabelImportReport }) {
  return (
    <div className="stack" role="status" aria-label="Labels import report">
      {report.status === 'rejected' ? (
        <p className="banner banner-error">
          {report.file} was rejected: {report.message}
        </p>
      ) : (
        <dl className="stats">
          {(
            [
              ['Rows read', report.rowsRead],
              ['Matched', report.matched],
              ['Newly stored', report.inserted],
              ['Unchanged', report.unchanged],
              ['Unmatched', report.unmatched.length],
              ['Conflicting', report.conflicts.length],
              ['Rejected rows', report.rejected.length],
            ] as const
          ).map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
      {report.unmatched.length > 0 && (
        <details>
          <summary>Unmatched labels ({report.unmatched.length})</summary>
          <SimpleTable
            label="Unmatched labels"
            rows={report.unmatched.slice(0, 200)}
            rowKey={(u) => `${u.line}-${u.patientId}`}
            columns={[
              { header: 'Line', cell: (u) => u.line, className: 'num' },
              { header: 'patient_id', cell: (u) => u.patientId },
              { header: 'Reason', cell: (u) => u.reason },
            ]}
          />
        </details>
      )}
      {report.conflicts.length > 0 && (
        <details>
          <summary>Conflicting labels ({report.conflicts.length})</summary>
          <SimpleTable
            label="Conflicting labels"
            rows={report.conflicts.slice(0, 200)}
            rowKey={(c) => `${c.line}-${c.patientId}`}
            columns={[
              { header: 'Line', cell: (c) => c.line ?? '—', className: 'num' },
              { header: 'patient_id', cell: (c) => c.patientId },
              { header: 'Stored outcome', cell: (c) => c.storedOutcome, className: 'num' },
              { header: 'New outcome', cell: (c) => c.newOutcome, className: 'num' },
            ]}
          />
        </details>
      )}
    </div>
  );
}

function AlertsPanel({
  data,
  acknowledged,
  onAcknowledge,
}: {
  data: MonitoringSummary;
  acknowledged: string | null;
  onAcknowledge: (id: number) => void;
}) {
  const open = data.alerts.filter((a) => !a.acknowledgedAt).length;
  return (
    <section className="panel" aria-labelledby="alerts">
      <h2 id="alerts">
        Alerts ({open} open, {data.alerts.length - open} acknowledged)
      </h2>
      {acknowledged && <p role="status">{acknowledged}</p>}
      {data.alerts.length === 0 ? (
        <p className="muted">No alerts.</p>
      ) : (
        <SimpleTable
          label="Alerts"
          rows={data.alerts}
          rowKey={(a) => a.id}
          columns={[
            { header: 'Raised', cell: (a) => formatDateTime(a.raisedAt) },
            { header: 'Kind', cell: (a) => a.kind },
            { header: 'Week / batch', cell: (a) => a.week ?? (a.batchId !== null ? `batch ${a.batchId}` : '—') },
            { header: 'Message', cell: (a) => a.message, className: 'wrap' },
            {
              header: 'Status',
              cell: (a) =>
                a.acknowledgedAt ? (
                  `Acknowledged by ${a.acknowledgedBy}`
                ) : (
                  <button type="button" onClick={() => onAcknowledge(a.id)}>
                    Acknowledge alert {a.id}
                  </button>
                ),
            },
          ]}
        />
      )}
    </section>
  );
}

function WeeklyCharts({ data }: { data: MonitoringSummary }) {
  const versions = [...new Set(data.weeks.map((w) => w.modelVersion))];
  const weeks = [...new Set(data.weeks.map((w) => w.week))].sort();
  const rows = (key: MetricKey) =>
    weeks.map((week) => {
      const row: Record<string, string | number | null> = { week };
      for (const w of data.weeks.filter((x) => x.week === week)) row[w.modelVersion] = w[key];
      return row;
    });

  if (data.weeks.length === 0) {
    return (
      <p className="panel">
        No labelled predictions yet ({data.labelCount} labels stored). Import labels to see realised performance.
      </p>
    );
  }
  const ageGroups = aggregateSubgroups(data);
  const estimateRows = weeks.map((week) => {
    const realised = data.weeks.find((w) => w.week === week);
    const estimate = data.estimates.find((e) => e.week === week);
    return {
      week,
      'realised recall': realised?.recall ?? null,
      'estimated recall (CBPE)': estimate?.estimate.recall.value ?? null,
    };
  });

  return (
    <>
      <section className="panel" aria-labelledby="weekly">
        <h2 id="weekly">Weekly performance</h2>
        <p className="muted">
          Dashed line: target recall {data.targetRecall}; dotted line: alert line {data.alertRecall}.
        </p>
        <div className="two-columns">
          {METRICS.map((m) => (
            <ChartFigure
              key={m.key}
              title={`${m.label} per ISO week`}
              summary={data.weeks.map((w) => `${w.week} ${w.modelVersion}: ${m.label} ${percent(w[m.key])}`).join('; ')}
            >
              <LineChart data={rows(m.key)}>
                <ChartAxes x={{ dataKey: 'week' }} y={{ domain: [0, 1] }} legend />
                <ReferenceLine y={data.targetRecall} stroke={CHART_COLORS.negative} strokeDasharray="6 3" />
                <ReferenceLine y={data.alertRecall} stroke={CHART_COLORS.positive} strokeDasharray="2 2" />
                {versions.map((v, i) => (
                  <Line
                    key={v}
                    dataKey={v}
                    name={v}
                    stroke={SERIES_COLOURS[i % SERIES_COLOURS.length]}
                    dot
                    connectNulls
                    isAnimationActive={false}
                  />
                ))}
              </LineChart>
            </ChartFigure>
          ))}
        </div>
        <SimpleTable
          label="Weekly performance"
          scrollable
          rows={data.weeks}
          rowKey={(w) => `${w.week}-${w.modelVersion}`}
          columns={[
            { header: 'Week', cell: (w) => w.week },
            { header: 'Model', cell: (w) => w.modelVersion },
            { header: 'Labelled', cell: (w) => w.n, className: 'num' },
            { header: 'Positives', cell: (w) => w.positives, className: 'num' },
            { header: 'TP', cell: (w) => w.tp, className: 'num' },
            { header: 'FN', cell: (w) => w.fn, className: 'num' },
            { header: 'FP', cell: (w) => w.fp, className: 'num' },
            { header: 'Recall', cell: (w) => percent(w.recall), className: 'num' },
            { header: 'Precision', cell: (w) => percent(w.precision), className: 'num' },
            { header: 'F2', cell: (w) => percent(w.f2), className: 'num' },
            { header: 'AUC', cell: (w) => (w.auc === null ? '—' : w.auc.toFixed(3)), className: 'num' },
            { header: 'Status', cell: (w) => w.status },
          ]}
        />
      </section>

      <div className="two-columns">
        <section className="panel" aria-labelledby="fn-counts">
          <h2 id="fn-counts">Missed diabetics (false negatives)</h2>
          <ChartFigure
            title="False negatives per week"
            summary={data.weeks.map((w) => `${w.week}: ${w.fn} missed of ${w.positives}`).join('; ')}
          >
            <BarChart data={data.weeks.map((w) => ({ week: `${w.week} ${w.modelVersion}`, FN: w.fn, TP: w.tp }))}>
              <ChartAxes x={{ dataKey: 'week' }} y={{ allowDecimals: false }} legend />
              <Bar dataKey="TP" stackId="p" fill={CHART_COLORS.negative} isAnimationActive={false} />
              <Bar dataKey="FN" stackId="p" fill={CHART_COLORS.positive} isAnimationActive={false} />
            </BarChart>
          </ChartFigure>
        </section>
        <section className="panel" aria-labelledby="estimated">
          <h2 id="estimated">Estimated against realised recall</h2>
          {data.estimates.length === 0 && (
            <p className="muted">The installed models carry no CBPE reference, so no label-free estimate is shown.</p>
          )}
          <ChartFigure
            title="Recall: realised from labels and estimated without them"
            summary={estimateRows
              .map(
                (r) =>
                  `${r.week}: realised ${percent(r['realised recall'])}, estimated ${percent(r['estimated recall (CBPE)'])}`,
              )
              .join('; ')}
          >
            <LineChart data={estimateRows}>
              <ChartAxes x={{ dataKey: 'week' }} y={{ domain: [0, 1] }} legend />
              <ReferenceLine y={data.alertRecall} stroke={CHART_COLORS.positive} strokeDasharray="2 2" />
              <Line dataKey="realised recall" stroke={CHART_COLORS.accent} isAnimationActive={false} />
              <Line
                dataKey="estimated recall (CBPE)"
                stroke={CHART_COLORS.second}
                strokeDasharray="5 3"
                isAnimationActive={false}
              />
            </LineChart>
          </ChartFigure>
        </section>
      </div>

      <section className="panel" aria-labelledby="subgroups">
        <h2 id="subgroups">Recall by age group (all labelled weeks)</h2>
        <div className="two-columns">
          <ChartFigure
            title="Recall per age group"
            summary={ageGroups.map((g) => `${g.group}: ${percent(g.recall)} of ${g.positives} positives`).join('; ')}
          >
            <BarChart data={ageGroups.map((g) => ({ group: g.group, recall: g.recall }))}>
              <ChartAxes x={{ dataKey: 'group' }} y={{ domain: [0, 1] }} />
              <ReferenceLine y={data.targetRecall} stroke={CHART_COLORS.negative} strokeDasharray="6 3" />
              <Bar dataKey="recall" fill={CHART_COLORS.fourth} isAnimationActive={false} />
            </BarChart>
          </ChartFigure>
          <SimpleTable
            label="Recall by age group"
            rows={ageGroups}
            rowKey={(g) => g.group}
            columns={[
              { header: 'Age group', cell: (g) => g.group },
              { header: 'Labelled', cell: (g) => g.n, className: 'num' },
              { header: 'Positives', cell: (g) => g.positives, className: 'num' },
              { header: 'Recall', cell: (g) => percent(g.recall), className: 'num' },
            ]}
          />
        </div>
      </section>
    </>
  );
}

/** Pools the weekly subgroup recalls: recovered true positives (recall × positives) over positives. */
function aggregateSubgroups(data: MonitoringSummary) {
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
