import type { MonitoringSummary } from '@contract/admin-outputs';
import '../monitoring.css';
import { Bar, BarChart, ReferenceLine } from 'recharts';
import { ChartAxes } from '../../../components/chart-axes';
import { CHART_COLORS, ChartFigure, percent } from '../../../components/chart-figure';
import { SimpleTable } from '../../../components/simple-table';
import { aggregateSubgroups, isBelowAlertLine } from '../utils/aggregate-subgroups';

/** Recall per age group, pooled over all labelled weeks. */
export function AgeGroupRecall({ data }: { data: MonitoringSummary }) {
  const ageGroups = aggregateSubgroups(data);
  return (
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
            {
              header: 'Recall',
              // Below the alert line is called out in words too, not only by the chart's reference line.
              cell: (g) =>
                isBelowAlertLine(g.recall, data.alertRecall) ? (
                  <strong className="below-alert">{percent(g.recall)} (below the alert line)</strong>
                ) : (
                  percent(g.recall)
                ),
              className: 'num',
            },
          ]}
        />
      </div>
    </section>
  );
}
