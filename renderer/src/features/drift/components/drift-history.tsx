import type { DriftHistoryPoint } from '@contract/admin-outputs';
import { Line, LineChart } from 'recharts';
import { ChartAxes } from '../../../components/chart-axes';
import { CHART_COLORS, ChartFigure } from '../../../components/chart-figure';

/** Drifted features (count and share) over all checked batches. */
export function DriftHistory({ points }: { points: DriftHistoryPoint[] }) {
  return (
    <section className="panel" aria-labelledby="drift-history">
      <h2 id="drift-history">Drift over batches</h2>
      <ChartFigure
        title="Drifted features per batch"
        summary={points
          .map(
            (p) =>
              `batch ${p.batchId}: ${p.driftedCount} of ${p.featureCount} features drifted${p.datasetDrift ? ', dataset drift' : ''}`,
          )
          .join('; ')}
      >
        <LineChart data={points.map((p) => ({ ...p, label: `#${p.batchId}`, sharePercent: p.share * 100 }))}>
          <ChartAxes
            x={{ dataKey: 'label' }}
            y={[
              { yAxisId: 'count', allowDecimals: false },
              { yAxisId: 'share', orientation: 'right', unit: ' %', domain: [0, 100] },
            ]}
            legend
          />
          <Line
            yAxisId="count"
            dataKey="driftedCount"
            name="drifted features"
            stroke={CHART_COLORS.positive}
            isAnimationActive={false}
          />
          <Line
            yAxisId="share"
            dataKey="sharePercent"
            name="share drifted (%)"
            stroke={CHART_COLORS.fourth}
            strokeDasharray="5 3"
            isAnimationActive={false}
          />
        </LineChart>
      </ChartFigure>
    </section>
  );
}
