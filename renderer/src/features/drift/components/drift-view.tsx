import type { DriftResult } from '@contract/admin-outputs';
import type { FeatureDrift } from '@contract/drift-types';
import type { ApiError } from '@contract/result';
import { useCallback, useEffect, useState } from 'react';
import { Bar, BarChart, Line, LineChart } from 'recharts';
import { useApi } from '../../../app/api-context';
import { ChartAxes, PERCENT_TOOLTIP } from '../../../components/chart-axes';
import { CHART_COLORS, ChartFigure, percent } from '../../../components/chart-figure';
import { ErrorBanner } from '../../../components/error-banner';
import { formatDateTime } from '../../../components/format';
import { ScrollRegion } from '../../../components/scroll-region';
import { useResult } from '../../../components/use-result';
import { MiniHistogram, sharedMax } from './mini-histogram';

/** Evidently-style data drift table per batch, the dataset verdict, and drift over batches. */
export function DriftView() {
  const api = useApi();
  const history = useResult(useCallback(() => api.driftHistory({}), [api]));
  const [batchId, setBatchId] = useState<string | null>(null);
  const [result, setResult] = useState<DriftResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  const points = history.value ?? [];
  const current = batchId ?? points.at(-1)?.batchId ?? null;

  useEffect(() => {
    if (!current) return;
    void (async () => {
      const loaded = await api.driftReport({ batchId: current });
      if (loaded.ok) {
        setResult(loaded.value);
        setError(null);
      } else setError(loaded.error);
    })();
  }, [api, current]);

  const features = result ? [...result.report.features].sort((a, b) => Number(b.drifted) - Number(a.drifted)) : [];
  const detail = features.find((f) => f.feature === selected) ?? null;

  return (
    <div className="stack">
      <div className="heading-row">
        <h1>Data drift</h1>
        {points.length > 0 && (
          <label>
            Batch{' '}
            <select value={current ?? ''} aria-label="Batch" onChange={(e) => setBatchId(e.target.value)}>
              {[...points].reverse().map((p) => (
                <option key={p.batchId} value={p.batchId}>
                  {p.batchId}: {p.fileName} ({p.datasetDrift ? 'drift' : 'no drift'})
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <ErrorBanner error={error ?? history.error} />
      {!history.loading && points.length === 0 && (
        <p className="panel">No batch has been checked for drift yet. Drift is checked on every imported file.</p>
      )}
      {result && (
        <>
          <Verdict result={result} />
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
                            onClick={() => setSelected(f.feature)}
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
          {detail && <FeatureDetail feature={detail} />}
        </>
      )}
      {points.length > 0 && (
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
      )}
    </div>
  );
}

function Verdict({ result }: { result: DriftResult }) {
  const d = result.report.datasetDrift;
  return (
    <div className={d.drifted ? 'banner banner-error' : 'banner banner-ok'} role="status" aria-label="Dataset verdict">
      <strong>{d.drifted ? 'Dataset drift detected' : 'No dataset drift'}</strong> in batch {result.batchId} (
      {result.fileName}, {formatDateTime(result.predictionDate)}): {d.driftedCount} of {d.featureCount} features drifted
      ({percent(d.share)}). Rule: {d.rule} of share ≥ {percent(d.shareThreshold, 0)} or count ≥ {d.countThreshold}.
      Reference {result.report.referenceRows} rows, current {result.report.currentRows} rows.
    </div>
  );
}

function FeatureDetail({ feature }: { feature: FeatureDrift }) {
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

/** p-values of strong drift are tiny: scientific notation below 0.001, so they never print as 0.000. */
function formatDriftScore(score: number | null): string {
  if (score === null) return '—';
  return score !== 0 && Math.abs(score) < 0.001 ? score.toExponential(2) : score.toFixed(3);
}
