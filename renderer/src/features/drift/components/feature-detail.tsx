import type { FeatureDrift } from '@contract/drift-types';
import { Bar, BarChart } from 'recharts';
import { ChartAxes, PERCENT_TOOLTIP } from '../../../components/chart-axes';
import { CHART_COLORS, ChartFigure, percent } from '../../../components/chart-figure';
import { formatDriftScore } from '../utils/format-drift-score';

/** One feature's reference and current histograms side by side, as shares so batches of any size compare. */
export function FeatureDetail({ feature }: { feature: FeatureDrift }) {
  const refTotal = feature.referenceHistogram.reduce((a, b) => a + b, 0) || 1;
  const curTotal = feature.currentHistogram.reduce((a, b) => a + b, 0) || 1;
  const data = feature.bins.labels.map((label, i) => ({
    bin: label,
    Reference: (feature.referenceHistogram[i] / refTotal) * 100,
    Current: (feature.currentHistogram[i] / curTotal) * 100,
  }));
  return (
    <section className="panel" aria-labelledby="drift-detail">
      <h2 id="drift-detail">{feature.feature}: reference against current</h2>
      <p className="muted">
        {feature.methodLabel}: score {formatDriftScore(feature.score)} against threshold {feature.threshold} —{' '}
        {feature.drifted ? 'drift detected' : 'no drift'}. Zeros: reference {percent(feature.referenceZeroShare)},
        current {percent(feature.currentZeroShare)}.
      </p>
      <ChartFigure
        title={`${feature.feature}: share of rows per bin`}
        summary={data
          .map((d) => `${d.bin}: reference ${d.Reference.toFixed(1)} %, current ${d.Current.toFixed(1)} %`)
          .join('; ')}
        height={300}
      >
        <BarChart data={data}>
          <ChartAxes
            x={{ dataKey: 'bin', fontSize: 10, interval: 'preserveStartEnd' }}
            y={{ unit: ' %' }}
            tooltip={PERCENT_TOOLTIP}
            legend
          />
          <Bar dataKey="Reference" fill={CHART_COLORS.reference} isAnimationActive={false} />
          <Bar dataKey="Current" fill={CHART_COLORS.positive} isAnimationActive={false} />
        </BarChart>
      </ChartFigure>
    </section>
  );
}
