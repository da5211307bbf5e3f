import type { MissingDataSection } from '@contract/eda-types';
import { Bar, BarChart } from 'recharts';
import { ChartAxes, PERCENT_TOOLTIP } from '../../../../components/chart-axes';
import { CHART_COLORS, ChartFigure, percent } from '../../../../components/chart-figure';
import { SimpleTable } from '../../../../components/simple-table';
import { FEATURE_AXIS } from '../../utils/axes';

/** Zeros that mean “not measured”, per feature, and how the model treats them. */
export function MissingData({ section }: { section: MissingDataSection }) {
  const { rowsWithAnyMissing, rowsWithAnyMissingShare, insulinNote } = section;
  return (
    <section className="panel" aria-labelledby="eda-missing">
      <h2 id="eda-missing">2. Missing data (zeros as missing)</h2>
      <div className="two-columns">
        <ChartFigure
          title="Share of values counted as missing"
          summary={section.features.map((f) => `${f.feature} ${percent(f.missingShare)}`).join(', ')}
        >
          <BarChart data={section.features.map((f) => ({ ...f, percent: f.missingShare * 100 }))}>
            <ChartAxes x={FEATURE_AXIS} y={{ unit: ' %' }} tooltip={PERCENT_TOOLTIP} />
            <Bar dataKey="percent" name="missing" fill={CHART_COLORS.second} isAnimationActive={false} />
          </BarChart>
        </ChartFigure>
        <SimpleTable
          label="Missing values per feature"
          rows={section.features}
          rowKey={(f) => f.feature}
          columns={[
            { header: 'Feature', cell: (f) => f.feature },
            { header: 'Zeros', cell: (f) => f.zeroCount, className: 'num' },
            { header: 'Missing', cell: (f) => percent(f.missingShare), className: 'num' },
            {
              header: 'Treatment',
              cell: (f) =>
                f.zeroPolicy === 'missing-imputed'
                  ? 'imputed (median)'
                  : f.zeroPolicy === 'missing-kept'
                    ? 'kept as 0'
                    : 'valid value',
            },
          ]}
        />
      </div>
      <p className="muted">
        {rowsWithAnyMissing} rows ({percent(rowsWithAnyMissingShare)}) have at least one missing value. {insulinNote}
      </p>
    </section>
  );
}
