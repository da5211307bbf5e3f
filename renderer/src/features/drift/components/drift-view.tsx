import { useCallback, useState } from 'react';
import { useApi } from '../../../app/api-context';
import { ErrorBanner } from '../../../components/error-banner';
import { useResult } from '../../../components/use-result';
import { useDriftReport } from '../api/use-drift-report';
import '../drift.css';
import { DriftHistory } from './drift-history';
import { DriftTable } from './drift-table';
import { FeatureDetail } from './feature-detail';
import { ModelVerdicts } from './model-verdicts';
import { Verdict } from './verdict';

/** Evidently-style data drift table per batch, the dataset verdict, and drift over batches. */
export function DriftView() {
  const api = useApi();
  const history = useResult(useCallback(() => api.driftHistory({}), [api]));
  const [batchId, setBatchId] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  const points = history.value ?? [];
  const current = batchId ?? points.at(-1)?.batchId ?? null;
  const { result, error } = useDriftReport(current);

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
          <ModelVerdicts report={result.report} />
          <DriftTable features={features} selected={selected} onSelect={setSelected} />
          {detail && <FeatureDetail feature={detail} />}
        </>
      )}
      {points.length > 0 && <DriftHistory points={points} />}
    </div>
  );
}
