import type { RiskFactor } from '../../../core/api/outputs';

export function RiskFactors({ factors }: { factors: RiskFactor[] | null }) {
  return (
    <section className="panel" aria-labelledby="factors-title">
      <h2 id="factors-title">Top contributing factors</h2>
      {factors === null ? (
        <p className="muted">Explanations are not available for this model.</p>
      ) : (
        <ol className="factors">
          {factors.map((factor) => (
            <li key={factor.feature}>
              {/* The text says "raises" or "lowers"; the arrow and colour only repeat it. */}
              <span className={factor.direction === 'raises' ? 'factor-up' : 'factor-down'} aria-hidden="true">
                {factor.direction === 'raises' ? '▲' : '▼'}
              </span>{' '}
              {factor.text}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
