import type { WaterfallDto } from '@contract/outputs';
import { formatScore } from './format';
import './risk-waterfall.css';

/**
 * The patient's explanation as a waterfall: from the model's baseline (the average patient's raw log-odds), each
 * input pushes the score up or down, ending at this patient's log-odds. Drawn with plain elements (no chart library
 * in the clinician's bundle) and readable as a list: every step also says its contribution in words.
 */
export function RiskWaterfall({ waterfall, score }: { waterfall: WaterfallDto | null; score: number }) {
  if (!waterfall) return null;
  const points = [waterfall.expectedValue, waterfall.margin, ...waterfall.steps.flatMap((s) => [s.start, s.end])];
  const low = Math.min(...points);
  const high = Math.max(...points);
  const span = high - low || 1;
  const x = (v: number) => ((v - low) / span) * 100;
  const bar = (from: number, to: number) => ({
    left: `${x(Math.min(from, to))}%`,
    width: `${Math.max(x(Math.max(from, to)) - x(Math.min(from, to)), 0.6)}%`,
  });
  return (
    <section className="panel" aria-labelledby="waterfall-title">
      <h2 id="waterfall-title">How each input moves the risk</h2>
      <p className="muted">
        The bars are on the model&apos;s log-odds scale (TreeSHAP): it starts from its average patient and each input
        adds or subtracts. The end points are also given as risk scores, so the last bar ends at this patient&apos;s{' '}
        {formatScore(score)}.
      </p>
      <ol className="waterfall" data-testid="risk-waterfall">
        <EndRow
          className="waterfall-row"
          label="Average patient"
          left={x(waterfall.expectedValue)}
          testId="waterfall-start"
        >
          {waterfall.expectedScore == null ? '' : `${formatScore(waterfall.expectedScore)} · `}
          log-odds {waterfall.expectedValue.toFixed(2)}
        </EndRow>
        {waterfall.steps.map((step) => {
          const tone = step.contribution > 0 ? 'waterfall-up' : 'waterfall-down';
          return (
            <li key={step.feature} className="waterfall-row">
              <span className="waterfall-label" title={step.text}>
                {step.text}
              </span>
              <span className="waterfall-track">
                <span className={`waterfall-bar ${tone}`} style={bar(step.start, step.end)} />
              </span>
              <span className="waterfall-value">
                {step.contribution >= 0 ? '+' : '−'}
                {Math.abs(step.contribution).toFixed(2)}
              </span>
            </li>
          );
        })}
        <EndRow
          className="waterfall-row waterfall-total"
          label="This patient"
          left={x(waterfall.margin)}
          testId="waterfall-end"
        >
          <strong>{formatScore(score)}</strong> · log-odds {waterfall.margin.toFixed(2)}
        </EndRow>
      </ol>
    </section>
  );
}

/** The first or last row: a marker at `left` percent of the track instead of a bar. */
function EndRow({
  className,
  label,
  left,
  testId,
  children,
}: {
  className: string;
  label: string;
  left: number;
  testId: string;
  children: React.ReactNode;
}) {
  return (
    <li className={className}>
      <span className="waterfall-label">{label}</span>
      <span className="waterfall-track">
        <span className="waterfall-marker" style={{ left: `${left}%` }} />
      </span>
      <span className="waterfall-value" data-testid={testId}>
        {children}
      </span>
    </li>
  );
}
