import type { DistributionsSection } from '@contract/eda-types';
import type { FeatureName } from '@contract/field-rules';
import { Bar, BarChart } from 'recharts';
import { ChartAxes } from '../../../../components/chart-axes';
import { CHART_COLORS, ChartFigure, fixed } from '../../../../components/chart-figure';
import { SimpleTable } from '../../../../components/simple-table';
import { binTick, FEATURE_AXIS } from '../../utils/axes';

/** One feature's histogram (the admin picks it), skewness of all, and the summary statistics. */
export function Distributions({
  section,
  feature,
  onFeatureChange,
}: {
  section: DistributionsSection;
  feature: FeatureName;
  onFeatureChange: (feature: FeatureName) => void;
}) {
  const distribution = section.features.find((f) => f.feature === feature);
  return (
    <section className="panel" aria-labelledby="eda-distributions">
      <div className="heading-row">
        <h2 id="eda-distributions">3. Distributions and skewness</h2>
        <label>
          Feature{' '}
          <select value={feature} onChange={(e) => onFeatureChange(e.target.value as FeatureName)}>
            {section.features.map(({ feature: f }) => (
              <option key={f}>{f}</option>
            ))}
          </select>
        </label>
      </div>
      <div className="two-columns">
        {distribution && (
          <ChartFigure
            title={`${feature}: histogram${distribution.zerosExcluded ? ' (zeros left out as missing)' : ''}`}
            summary={`${feature}: mean ${fixed(distribution.stats.mean, 1)}, median ${fixed(distribution.stats.median, 1)}, skewness ${fixed(distribution.stats.skewness, 2)}.`}
          >
            <BarChart data={distribution.bins.map((b) => ({ bin: b.x0, count: b.count }))} barCategoryGap={1}>
              <ChartAxes x={{ dataKey: 'bin', tickFormatter: binTick }} />
              <Bar dataKey="count" fill={CHART_COLORS.accent} isAnimationActive={false} />
            </BarChart>
          </ChartFigure>
        )}
        <ChartFigure
          title="Skewness per feature"
          summary={section.features.map((f) => `${f.feature} ${fixed(f.stats.skewness, 2)}`).join(', ')}
        >
          <BarChart data={section.features.map((f) => ({ feature: f.feature, skewness: f.stats.skewness }))}>
            <ChartAxes x={FEATURE_AXIS} />
            <Bar dataKey="skewness" fill={CHART_COLORS.third} isAnimationActive={false} />
          </BarChart>
        </ChartFigure>
      </div>
      <SimpleTable
        label="Summary statistics"
        scrollable
        rows={section.features}
        rowKey={(f) => f.feature}
        columns={[
          { header: 'Feature', cell: (f) => f.feature },
          { header: 'n', cell: (f) => f.stats.n, className: 'num' },
          { header: 'Mean', cell: (f) => fixed(f.stats.mean, 2), className: 'num' },
          { header: 'Std', cell: (f) => fixed(f.stats.std, 2), className: 'num' },
          { header: 'Min', cell: (f) => fixed(f.stats.min, 2), className: 'num' },
          { header: 'Median', cell: (f) => fixed(f.stats.median, 2), className: 'num' },
          { header: 'Max', cell: (f) => fixed(f.stats.max, 2), className: 'num' },
          { header: 'Skewness', cell: (f) => fixed(f.stats.skewness, 2), className: 'num' },
        ]}
      />
    </section>
  );
}
