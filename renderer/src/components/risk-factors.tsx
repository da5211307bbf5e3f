import type { RiskFactor } from '../../../core/api/outputs';
import { featureLabel } from './inputs-table';

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
              <span className={factor.direction === 'raises' ? 'factor-up' : 'factor-down'}>
                {factor.direction === 'raises' ? '▲ raises risk' : '▼ lowers risk'}
              </span>{' '}
              <strong>{featureLabel(factor.feature)}</strong>: {factor.text}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
