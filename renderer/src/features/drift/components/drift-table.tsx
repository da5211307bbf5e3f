import type { FeatureDrift } from '@contract/drift-types';
import { CHART_COLORS } from '../../../components/chart-figure';
import { ScrollRegion } from '../../../components/scroll-region';
import { formatDriftScore } from '../utils/format-drift-score';
import { MiniHistogram, sharedMax } from './mini-histogram';
import '../../../components/data-table.css';
import '../drift.css';

/** Per feature: both distributions, the test and its score, and whether it drifted; drifted rows first. */
export function DriftTable({
  features,
  selected,
  onSelect,
}: {
  features: FeatureDrift[];
  selected: string | null;
  onSelect: (feature: string) => void;
}) {
  return (
    <div className="panel">
      <ScrollRegion label="Drift per feature (scrollable)">
        <table className="data-table drift-table" aria-label="Drift per feature">
          <thead>
            <tr>
              <th scope="col">Feature</th>
              <th scope="col">Type</th>
              <th scope="col">Reference distribution</th>
              <th scope="col">Current distribution</th>
              <th scope="col">Test</th>
              <th scope="col">Score</th>
              <th scope="col">Threshold</th>
              <th scope="col">Drift</th>
            </tr>
          </thead>
          <tbody>
            {features.map((f) => {
              const max = sharedMax(f.referenceHistogram, f.currentHistogram);
              return (
                <tr key={f.feature} className={f.drifted ? 'drifted' : undefined} data-feature={f.feature}>
                  <th scope="row">
                    <button
                      type="button"
                      className="link"
                      aria-pressed={selected === f.feature}
                      onClick={() => onSelect(f.feature)}
                    >
                      {f.feature}
                    </button>
                  </th>
                  <td>{f.type}</td>
                  <td>
                    <MiniHistogram counts={f.referenceHistogram} colour={CHART_COLORS.reference} max={max} />
                  </td>
                  <td>
                    <MiniHistogram
                      counts={f.currentHistogram}
                      colour={f.drifted ? CHART_COLORS.positive : CHART_COLORS.accent}
                      max={max}
                    />
                  </td>
                  <td>{f.methodLabel}</td>
                  <td className="num">{formatDriftScore(f.score)}</td>
                  <td className="num">{f.threshold}</td>
                  <td>
                    <span className={f.drifted ? 'drift-flag drift-yes' : 'drift-flag drift-no'}>
                      {f.drifted ? 'Drift detected' : 'Not detected'}
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollRegion>
    </div>
  );
}
