import type { MonitoringSummary } from '@contract/admin-outputs';
import { Bar, BarChart, Line, LineChart, ReferenceLine } from 'recharts';
import { ChartAxes } from '../../../components/chart-axes';
import { CHART_COLORS, ChartFigure, percent } from '../../../components/chart-figure';

/** Missed diabetics per week, and the realised recall beside the label-free (CBPE) estimate. */
export function RecallPanels({ data, weeks }: { data: MonitoringSummary; weeks: string[] }) {
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
  );
}
