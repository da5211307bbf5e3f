import type { MonitoringSummary } from '@contract/admin-outputs';
import { Line, LineChart, ReferenceLine } from 'recharts';
import { ChartAxes } from '../../../components/chart-axes';
import { CHART_COLORS, ChartFigure, percent } from '../../../components/chart-figure';
import { SimpleTable } from '../../../components/simple-table';

type MetricKey = 'recall' | 'precision' | 'f2' | 'auc';
const METRICS: { key: MetricKey; label: string }[] = [
  { key: 'recall', label: 'Recall' },
  { key: 'precision', label: 'Precision' },
  { key: 'f2', label: 'F2' },
  { key: 'auc', label: 'AUC-ROC' },
];
const SERIES_COLOURS = [CHART_COLORS.accent, CHART_COLORS.second, CHART_COLORS.third, CHART_COLORS.fourth];

/** Each metric per ISO week and model version against the target and alert lines, and the weekly table. */
export function WeeklyPerformance({ data, weeks }: { data: MonitoringSummary; weeks: string[] }) {
  const versions = [...new Set(data.weeks.map((w) => w.modelVersion))];
  const rows = (key: MetricKey) =>
    weeks.map((week) => {
      const row: Record<string, string | number | null> = { week };
      for (const w of data.weeks.filter((x) => x.week === week)) row[w.modelVersion] = w[key];
      return row;
    });
  return (
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
  );
}
