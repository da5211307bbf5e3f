import type { ModelImportance } from '@contract/admin-outputs';
import { ReferenceLine, Scatter, ScatterChart } from 'recharts';
import { ChartAxes } from '../../../components/chart-axes';
import { CHART_COLORS, ChartFigure } from '../../../components/chart-figure';

interface Point {
  shap: number;
  /** Row of the input on the chart, with a small deterministic spread so that points do not hide each other. */
  y: number;
  value: number | null;
  /** The value's rank within its input, 0 (lowest) to 1 (highest); null when not recorded. */
  level: number | null;
  feature: string;
}

/** Low values blue, high values red (the usual SHAP summary colouring); not recorded grey. */
function colourOf(level: number | null): string {
  if (level === null) return '#9aa5b1';
  const r = Math.round(26 + level * (176 - 26));
  const g = Math.round(95 - level * (95 - 32));
  const b = Math.round(180 - level * (180 - 32));
  return `rgb(${r}, ${g}, ${b})`;
}

function pointsOf(summary: ModelImportance['summary']): Point[] {
  const points: Point[] = [];
  summary.forEach((series, row) => {
    const recorded = series.points
      .map(([v]) => v)
      .filter((v): v is number => v !== null)
      .sort((a, b) => a - b);
    const rankOf = (v: number) => {
      let lo = 0;
      let hi = recorded.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (recorded[mid] < v) lo = mid + 1;
        else hi = mid;
      }
      return recorded.length > 1 ? lo / (recorded.length - 1) : 0.5;
    };
    series.points.forEach(([value, shap], k) => {
      const spread = (((k * 0.618034) % 1) - 0.5) * 0.6;
      points.push({
        shap,
        y: row + spread,
        value,
        level: value === null ? null : rankOf(value),
        feature: series.feature,
      });
    });
  });
  return points;
}

/**
 * SHAP summary (beeswarm) of one version over the training data: each dot is a patient, placed by how much that
 * input moved the log-odds, coloured by the input's value. Inputs are ordered by mean |SHAP|.
 */
export function ShapSummary({ importance }: { importance: ModelImportance }) {
  const summary = importance.summary;
  const points = pointsOf(summary);
  const names = summary.map((s) => s.feature);
  return (
    <ChartFigure
      title={`SHAP summary of ${importance.version}: each dot a training patient; right of 0 raises the risk (colour: low value blue, high value red, not recorded grey)`}
      summary={summary
        .map((s) => `${s.feature}: mean |SHAP| ${s.meanAbsShap.toFixed(3)} over ${s.points.length} patients`)
        .join('; ')}
      height={Math.max(260, 44 * summary.length)}
    >
      <ScatterChart margin={{ left: 8, right: 16, top: 8, bottom: 8 }}>
        <ChartAxes
          x={{ type: 'number', dataKey: 'shap', name: 'SHAP (log-odds)' }}
          y={{
            type: 'number',
            dataKey: 'y',
            domain: [-0.5, names.length - 0.5],
            ticks: names.map((_, i) => i),
            tickFormatter: (i: number) => names[i] ?? '',
            reversed: true,
            width: 190,
            interval: 0,
          }}
          tooltip={{ formatter: (v, key) => (key === 'y' ? null : Number(v).toFixed(3)), labelFormatter: () => '' }}
        />
        <ReferenceLine x={0} stroke={CHART_COLORS.reference} />
        <Scatter
          data={points}
          isAnimationActive={false}
          shape={(props: { cx?: number; cy?: number; payload?: Point }) => (
            <circle cx={props.cx} cy={props.cy} r={2.5} fill={colourOf(props.payload?.level ?? null)} />
          )}
        />
      </ScatterChart>
    </ChartFigure>
  );
}
