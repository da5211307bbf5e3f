import type { ScreeningDto } from '@contract/follow-up-types';
import { Line, LineChart } from 'recharts';
import { ChartAxes, PERCENT_TOOLTIP } from '../../../components/chart-axes';
import { CHART_COLORS, ChartFigure } from '../../../components/chart-figure';
import { formatScore } from '../../../components/format';

/** The patient's risk score at each screening (loaded on first use, with recharts). */
export default function HistoryTrend({ screenings }: { screenings: ScreeningDto[] }) {
  const data = screenings.map((s) => ({ date: s.predictionDate.slice(0, 10), score: s.score * 100 }));
  return (
    <ChartFigure
      title="Risk score at each screening"
      summary={screenings
        .map((s) => `${s.predictionDate.slice(0, 10)}: ${formatScore(s.score)} (${s.category})`)
        .join('; ')}
      height={180}
    >
      <LineChart data={data}>
        <ChartAxes x={{ dataKey: 'date' }} y={{ domain: [0, 100], unit: ' %' }} tooltip={PERCENT_TOOLTIP} />
        <Line dataKey="score" name="Risk score" stroke={CHART_COLORS.accent} dot isAnimationActive={false} />
      </LineChart>
    </ChartFigure>
  );
}
