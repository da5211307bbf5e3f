import type { OutliersSection } from '@contract/eda-types';
import { Bar, BarChart } from 'recharts';
import { ChartAxes } from '../../../../components/chart-axes';
import { CHART_COLORS, ChartFigure } from '../../../../components/chart-figure';
import { FEATURE_AXIS } from '../../utils/axes';

/** Values beyond the z-score threshold, low and high, per feature. */
export function Outliers({ section }: { section: OutliersSection }) {
  return (
    <section className="panel" aria-labelledby="eda-outliers">
      <h2 id="eda-outliers">8. Outliers (|z| &gt; {section.zThreshold})</h2>
      <ChartFigure
        title="Outlying values per feature"
        summary={section.features.map((f) => `${f.feature} ${f.count}`).join(', ')}
        height={200}
      >
        <BarChart data={section.features.map((f) => ({ feature: f.feature, low: f.low, high: f.high }))}>
          <ChartAxes x={FEATURE_AXIS} y={{ allowDecimals: false }} legend />
          <Bar dataKey="low" stackId="o" fill={CHART_COLORS.fourth} isAnimationActive={false} />
          <Bar dataKey="high" stackId="o" fill={CHART_COLORS.positive} isAnimationActive={false} />
        </BarChart>
      </ChartFigure>
      <p className="muted">
        {section.totalFlaggedValues} values in {section.rowsWithAnyOutlier} rows are flagged.
      </p>
    </section>
  );
}
