import type { RiskFactor } from '@contract/outputs';
import './risk-factors.css';

const ARROW: Record<RiskFactor['direction'], string> = { raises: '▲', lowers: '▼', neutral: '•' };
const TONE: Record<RiskFactor['direction'], string> = {
  raises: 'factor-up',
  lowers: 'factor-down',
  neutral: 'factor-neutral',
};

/** Every input's reason, largest effect first. The text says the direction; arrow and colour only repeat it. */
export function RiskFactors({ factors, title = 'Why this score' }: { factors: RiskFactor[] | null; title?: string }) {
  return (
    <section className="panel" aria-labelledby="factors-title">
      <h2 id="factors-title">{title}</h2>
      {factors === null ? (
        <p className="muted">Explanations are not available: the model that scored this patient is not installed.</p>
      ) : (
        <ol className="factors">
          {factors.map((factor) => (
            <li key={factor.feature} className={factor.direction === 'neutral' ? 'muted' : undefined}>
              <span className={TONE[factor.direction]} aria-hidden="true">
                {ARROW[factor.direction]}
              </span>{' '}
              {factor.text}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The worklist's one-line summary of the top reasons (full sentences in the tooltip and for screen readers). */
export function FactorSummary({ factors }: { factors: RiskFactor[] | null | undefined }) {
  if (!factors || factors.length === 0) return <span className="muted">—</span>;
  return (
    <span className="factor-summary" title={factors.map((f) => f.text).join('\n')}>
      {factors.map((f, i) => (
        <span key={f.feature}>
          {i > 0 ? ' · ' : ''}
          <span className={TONE[f.direction]} aria-hidden="true">
            {ARROW[f.direction]}
          </span>{' '}
          {f.text.replace(/ the risk$/, '')}
        </span>
      ))}
    </span>
  );
}
