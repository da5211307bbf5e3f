import type { ModelVersionDto } from '@contract/admin-outputs';
import { memo, useState } from 'react';
import { ScrollRegion } from '../../../components/scroll-region';
import { numericEntries } from '../utils/model-metrics';
import '../../../components/data-table.css';
import '../models.css';

/** Two versions side by side: metrics, threshold, risk cuts, calibration, search parameters. */
export const CompareVersions = memo(function CompareVersions({ versions }: { versions: ModelVersionDto[] }) {
  const [leftId, setLeftId] = useState(versions[0].id);
  const [rightId, setRightId] = useState(versions[1].id);
  const left = versions.find((v) => v.id === leftId) ?? versions[0];
  const right = versions.find((v) => v.id === rightId) ?? versions[1];

  const rows: [string, string, string][] = [
    ['Version', left.version ?? '—', right.version ?? '—'],
    ['Algorithm', left.algorithm ?? '—', right.algorithm ?? '—'],
    ['Trained', left.trainedAt ?? '—', right.trainedAt ?? '—'],
    ['Threshold', num(left.threshold), num(right.threshold)],
    ['Target recall', String(left.targetRecall ?? '—'), String(right.targetRecall ?? '—')],
    [
      'Risk cuts (Medium / High)',
      left.riskCuts ? `${left.riskCuts.medium} / ${left.riskCuts.high}` : '—',
      right.riskCuts ? `${right.riskCuts.medium} / ${right.riskCuts.high}` : '—',
    ],
    [
      'Calibration (Platt slope, intercept)',
      left.calibration ? `${left.calibration.slope.toFixed(4)}, ${left.calibration.intercept.toFixed(4)}` : '—',
      right.calibration ? `${right.calibration.slope.toFixed(4)}, ${right.calibration.intercept.toFixed(4)}` : '—',
    ],
  ];
  const metricRows = (label: string, pick: (v: ModelVersionDto) => Record<string, unknown> | null) => {
    const a = new Map(numericEntries(pick(left)));
    const b = new Map(numericEntries(pick(right)));
    for (const key of new Set([...a.keys(), ...b.keys()])) {
      rows.push([`${label}: ${key}`, num(a.get(key) ?? null), num(b.get(key) ?? null)]);
    }
  };
  metricRows('Test', (v) => v.testMetrics);
  metricRows('Validation', (v) => v.validationEstimates);
  metricRows('Cross-validation', (v) => v.cvEstimates);
  const params = new Set([...Object.keys(left.bestParams), ...Object.keys(right.bestParams)]);
  for (const key of params) {
    rows.push([
      `Parameter: ${key}`,
      JSON.stringify(left.bestParams[key] ?? null),
      JSON.stringify(right.bestParams[key] ?? null),
    ]);
  }

  const picker = (label: string, value: string, set: (id: string) => void) => (
    <label>
      {label}{' '}
      <select value={value} onChange={(e) => set(e.target.value)}>
        {versions.map((v) => (
          <option key={v.id} value={v.id}>
            {v.version} ({v.id})
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <section className="panel" aria-labelledby="compare">
      <h2 id="compare">Compare two versions</h2>
      <div className="row-actions">
        {picker('Left', leftId, setLeftId)}
        {picker('Right', rightId, setRightId)}
      </div>
      <ScrollRegion label="Version comparison (scrollable)">
        <table className="data-table" aria-label="Version comparison">
          <thead>
            <tr>
              <th scope="col">Property</th>
              <th scope="col">{left.version}</th>
              <th scope="col">{right.version}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([name, a, b]) => (
              <tr key={name} className={a !== b ? 'differs' : undefined}>
                <th scope="row">{name}</th>
                <td>{a}</td>
                <td>{b}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
});

function num(value: number | null): string {
  if (value === null) return '—';
  return Number.isInteger(value) ? String(value) : value.toFixed(4);
}
