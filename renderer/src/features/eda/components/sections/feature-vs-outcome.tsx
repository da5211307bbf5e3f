import type { FeatureVsOutcomeSection } from '@contract/eda-types';
import type { FeatureName } from '@contract/field-rules';
import { Bar, BarChart } from 'recharts';
import { ChartAxes, PERCENT_TOOLTIP } from '../../../../components/chart-axes';
import { CHART_COLORS, ChartFigure, fixed } from '../../../../components/chart-figure';
import { SimpleTable } from '../../../../components/simple-table';
import { binTick } from '../../utils/axes';

/** How the picked feature separates the classes, and the effect size of every feature. */
export function FeatureVsOutcome({ section, feature }: { section: FeatureVsOutcomeSection; feature: FeatureName }) {
  const comparison = section.features?.find((f) => f.feature === feature) ?? null;
  return (
    <section className="panel" aria-labelledby="eda-outcome">
      <h2 id="eda-outcome">4. Each feature against the outcome</h2>
      {section.features ? (
        <div className="two-columns">
          {comparison && (
            <ChartFigure
              title={`${feature}: share of each class per bin`}
              summary={`${feature}: diabetic mean ${fixed(comparison.positive.mean, 1)}, non-diabetic mean ${fixed(comparison.negative.mean, 1)}, Cohen's d ${fixed(comparison.cohensD, 2)}.`}
            >
              <BarChart
                data={comparison.bins.map((b) => ({
                  bin: b.x0,
                  'Non-diabetic': b.negativeShare * 100,
                  Diabetic: b.positiveShare * 100,
                }))}
              >
                <ChartAxes
                  x={{ dataKey: 'bin', tickFormatter: binTick }}
                  y={{ unit: ' %' }}
                  tooltip={PERCENT_TOOLTIP}
                  legend
                />
                <Bar dataKey="Non-diabetic" fill={CHART_COLORS.negative} isAnimationActive={false} />
                <Bar dataKey="Diabetic" fill={CHART_COLORS.positive} isAnimationActive={false} />
              </BarChart>
            </ChartFigure>
          )}
          <SimpleTable
            label="Effect sizes"
            rows={section.features}
            rowKey={(f) => f.feature}
            columns={[
              { header: 'Rank', cell: (f) => f.rank, className: 'num' },
              { header: 'Feature', cell: (f) => f.feature },
              { header: "Cohen's d", cell: (f) => fixed(f.cohensD, 2), className: 'num' },
              {
                header: 'Mean difference',
                cell: (f) => (f.meanDifferencePercent === null ? '—' : `${f.meanDifferencePercent.toFixed(1)} %`),
                className: 'num',
              },
              {
                header: 'Mann-Whitney p',
                cell: (f) => (f.mannWhitney ? f.mannWhitney.pValue.toExponential(2) : '—'),
                className: 'num',
              },
            ]}
          />
        </div>
      ) : (
        <p className="muted">{section.note}</p>
      )}
    </section>
  );
}
