import type { SubgroupsSection } from '@contract/eda-types';
import { Bar, BarChart } from 'recharts';
import { ChartAxes, PERCENT_TOOLTIP } from '../../../../components/chart-axes';
import { CHART_COLORS, ChartFigure } from '../../../../components/chart-figure';
import { groupSummary } from '../../utils/group-summary';

/** Diabetes rate (or share of patients) per age group and BMI category; small groups are starred. */
export function SubgroupRates({ section, hasOutcome }: { section: SubgroupsSection; hasOutcome: boolean }) {
  return (
    <section className="panel" aria-labelledby="eda-subgroups">
      <h2 id="eda-subgroups">7. Subgroup rates</h2>
      <div className="two-columns">
        {section.variables.map((v) => (
          <ChartFigure
            key={v.variable}
            title={`${v.variable === 'Age_Group' ? 'Age groups' : 'BMI categories'}: ${hasOutcome ? 'diabetes rate' : 'share of patients'}`}
            summary={v.groups.map((g) => `${groupSummary(g)}${g.small ? ' (small group)' : ''}`).join('; ')}
          >
            <BarChart
              data={v.groups.map((g) => ({
                group: g.small ? `${g.label}*` : g.label,
                value: ((hasOutcome ? g.positiveRate : g.share) ?? 0) * 100,
              }))}
            >
              <ChartAxes
                x={{ dataKey: 'group', interval: 0, fontSize: 11 }}
                y={{ unit: ' %' }}
                tooltip={PERCENT_TOOLTIP}
              />
              <Bar dataKey="value" fill={CHART_COLORS.accent} isAnimationActive={false} />
            </BarChart>
          </ChartFigure>
        ))}
      </div>
      <p className="muted">* fewer than {section.smallGroupMin} patients: the rate is not reliable.</p>
    </section>
  );
}
