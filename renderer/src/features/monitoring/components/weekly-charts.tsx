import type { MonitoringSummary } from '@contract/admin-outputs';
import { Bar, BarChart, Line, LineChart, ReferenceLine } from 'recharts';
import { ChartAxes } from '../../../components/chart-axes';
import { CHART_COLORS, ChartFigure, percent } from '../../../components/chart-figure';
import { SimpleTable } from '../../../components/simple-table';
import { aggregateSubgroups } from '../utils/aggregate-subgroups';

type MetricKey = 'recall' | 'precision' | 'f2' | 'auc';
const METRICS: { key: MetricKey; label: string }[] = [
  { key: 'recall', label: 'Recall' },
  { key: 'precision', label: 'Precision' },
  { key: 'f2', label: 'F2' },
  { key: 'auc', label: 'AUC-ROC' },
];
const SERIES_COLOURS = [CHART_COLORS.accent, CHART_COLORS.second, CHART_COLORS.third, CHART_COLORS.fourth];

/** Realised performance per ISO week and model, missed diabetics, estimated recall, and recall by age group. */
export function WeeklyCharts({ data }: { data: MonitoringSummary }) {
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
