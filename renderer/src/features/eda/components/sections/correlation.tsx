import type { CorrelationSection } from '@contract/eda-types';
import { CorrelationHeatmap } from '../correlation-heatmap';

/** The Pearson matrix and whether any pair is collinear enough to matter. */
export function Correlation({ section }: { section: CorrelationSection }) {
  return (
    <section className="panel" aria-labelledby="eda-correlation">
      <h2 id="eda-correlation">5. Correlation heatmap</h2>
      <CorrelationHeatmap section={section} />
      <p className="muted">
        {section.strongestFeaturePair
          ? `Strongest feature pair: ${section.strongestFeaturePair.a} and ${section.strongestFeaturePair.b} (r = ${section.strongestFeaturePair.r.toFixed(2)}). `
          : ''}
        {section.severeMulticollinearity
          ? `Severe multicollinearity (|r| > ${section.threshold}).`
          : `No pair above |r| = ${section.threshold}: no severe multicollinearity.`}
      </p>
    </section>
  );
}
