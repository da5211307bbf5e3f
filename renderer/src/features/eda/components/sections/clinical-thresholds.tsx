import type { ClinicalThresholdsSection } from '@contract/eda-types';
import { Bar, BarChart } from 'recharts';
import { ChartAxes } from '../../../../components/chart-axes';
import { CHART_COLORS, ChartFigure } from '../../../../components/chart-figure';
import { groupSummary } from '../../utils/group-summary';

/** Patients (or the diabetes rate) in each clinical band of the thresholded features. */
export function ClinicalThresholds({
  section,
  hasOutcome,
}: {
  section: ClinicalThresholdsSection;
  hasOutcome: boolean;
}) {
  return (
    <section className="panel" aria-labelledby="eda-thresholds">
      <h2 id="eda-thresholds">6. Clinical thresholds</h2>
      <div className="two-columns">
        {section.thresholds.map((t) => (
          <ChartFigure
            key={t.feature}
            title={`${t.title}: ${hasOutcome ? 'diabetes rate' : 'patients'} per band`}
            summary={t.bands.map(groupSummary).join('; ')}
          >
            <BarChart
              data={t.bands.map((b) => ({
                band: b.label,
                value: hasOutcome ? (b.positiveRate ?? 0) * 100 : b.count,
              }))}
            >
              <ChartAxes
                x={{ dataKey: 'band', interval: 0, fontSize: 10, angle: -20, textAnchor: 'end', height: 70 }}
                y={{ unit: hasOutcome ? ' %' : '' }}
              />
              <Bar
                dataKey="value"
                name={hasOutcome ? 'diabetes rate' : 'patients'}
                fill={CHART_COLORS.fourth}
                isAnimationActive={false}
              />
            </BarChart>
          </ChartFigure>
        ))}
      </div>
    </section>
  );
}
