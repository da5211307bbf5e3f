import type { OverviewSection } from '@contract/eda-types';
import { Bar, BarChart } from 'recharts';
import { ChartAxes } from '../../../../components/chart-axes';
import { CHART_COLORS, ChartFigure, percent } from '../../../../components/chart-figure';

/** The dataset at a glance: its size and, when it has outcomes, the class balance. */
export function Overview({ section }: { section: OverviewSection }) {
  const balance = section.classBalance;
  return (
    <section className="panel" aria-labelledby="eda-overview">
      <h2 id="eda-overview">1. Overview</h2>
      <dl className="stats">
        <div>
          <dt>Rows</dt>
          <dd>{section.rowCount}</dd>
        </div>
        <div>
          <dt>Features</dt>
          <dd>{section.featureCount}</dd>
        </div>
        <div>
          <dt>Diabetic (Outcome 1)</dt>
          <dd>{balance ? `${balance.positives} (${percent(balance.positiveShare)})` : 'no outcome'}</dd>
        </div>
        <div>
          <dt>Non-diabetic</dt>
          <dd>{balance ? balance.negatives : '—'}</dd>
        </div>
      </dl>
      {balance && (
        <ChartFigure
          title="Class balance"
          summary={`${balance.negatives} non-diabetic, ${balance.positives} diabetic.`}
          height={160}
        >
          <BarChart
            layout="vertical"
            data={[
              { name: 'Non-diabetic', rows: balance.negatives },
              { name: 'Diabetic', rows: balance.positives },
            ]}
          >
            <ChartAxes x={{ type: 'number' }} y={{ type: 'category', dataKey: 'name', width: 100 }} />
            <Bar dataKey="rows" fill={CHART_COLORS.accent} isAnimationActive={false} />
          </BarChart>
        </ChartFigure>
      )}
    </section>
  );
}
