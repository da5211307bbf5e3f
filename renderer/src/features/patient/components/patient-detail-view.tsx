import type { WorklistQueryInput } from '@contract/inputs';
import type { PatientDetail } from '@contract/outputs';
import type { ApiError } from '@contract/result';
import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../../../app/api-context';
import { ErrorBanner } from '../../../components/error-banner';
import { formatDateTime, formatScore } from '../../../components/format';
import { InputsTable } from '../../../components/inputs-table';
import { RiskFactors } from '../../../components/risk-factors';
import { RiskWaterfall } from '../../../components/risk-waterfall';
import { ScoreBlock } from '../../../components/score-block';
import { FollowUpPanel } from '../../follow-up/components/follow-up-panel';

/** One patient of a batch; J/K (or ←/→) walk the worklist in its current order, R marks reviewed. */
export function PatientDetailView({
  batchId,
  patientId,
  position,
  query,
  onNavigate,
  onBack,
}: {
  batchId: string;
  patientId: string;
  position: number;
  query: WorklistQueryInput;
  onNavigate: (patientId: string, position: number) => void;
  onBack: () => void;
}) {
  const api = useApi();
  const [detail, setDetail] = useState<PatientDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [note, setNote] = useState('');
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    setDetail(null);
    setSaved(false);
    setNote('');
    void api.patientDetail({ batchId, patientId }).then((result) => {
      if (result.ok) setDetail(result.value);
      else setError(result.error);
    });
  }, [api, batchId, patientId]);

  const go = useCallback(
    async (delta: number) => {
      const target = position + delta;
      if (target < 0) return;
      const page = await api.worklistPage({ batchId, query, offset: target, limit: 1 });
      if (page.ok && page.value.rows[0]) onNavigate(page.value.rows[0].patientId, target);
    },
    [api, batchId, query, position, onNavigate],
  );

  const markReviewed = useCallback(async () => {
    const result = await api.markReviewed({ batchId, patientId, note });
    if (result.ok) {
      setDetail((d) => (d ? { ...d, review: result.value } : d));
      setSaved(true);
    } else setError(result.error);
  }, [api, batchId, patientId, note]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (target.closest('input, textarea, select')) return;
      if (event.key === 'j' || event.key === 'ArrowRight') void go(1);
      else if (event.key === 'k' || event.key === 'ArrowLeft') void go(-1);
      else if (event.key === 'r') void markReviewed();
      else if (event.key === 'Escape') onBack();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go, markReviewed, onBack]);

  return (
    <div className="stack">
      <div className="heading-row">
        <button type="button" onClick={onBack}>
          ← Back to worklist
        </button>
        <div className="row-actions">
          <button type="button" onClick={() => void go(-1)} disabled={position === 0}>
            Previous patient (K)
          </button>
          <button type="button" onClick={() => void go(1)}>
            Next patient (J)
          </button>
        </div>
      </div>
      <ErrorBanner error={error} />
      {detail && (
        <>
          <section className="panel patient-header" aria-labelledby="patient-title">
            <h1 id="patient-title">Patient {detail.patientId}</h1>
            <ScoreBlock scored={detail} scoreTestId="patient-score">
              {detail.borderline && (
                <span className="borderline-badge" data-testid="borderline">
                  Borderline: close to the threshold, review by hand
                </span>
              )}
            </ScoreBlock>
            {detail.warnings.length > 0 && (
              <div className="banner banner-warning" data-testid="patient-warnings">
                <strong>Import warnings for this patient:</strong>
                <ul>
                  {detail.warnings.map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
              </div>
            )}
            <p className="muted">
              Threshold {formatScore(detail.threshold)} · model {detail.modelVersion} · file line {detail.line}
            </p>
          </section>
          <div className="two-columns">
            <InputsTable inputs={detail.inputs} />
            <RiskFactors factors={detail.factors} />
          </div>
          <RiskWaterfall waterfall={detail.waterfall} score={detail.score} />
          <section className="panel" aria-labelledby="review-title">
            <h2 id="review-title">Review</h2>
            {detail.review && (
              <p role={saved ? 'status' : undefined}>
                Reviewed by <strong>{detail.review.by}</strong> on {formatDateTime(detail.review.at)}
                {detail.review.note ? ` — “${detail.review.note}”` : ''}
              </p>
            )}
            <label>
              Note
              <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={3} maxLength={2000} />
            </label>
            <button type="button" className="primary" onClick={() => void markReviewed()}>
              Mark reviewed (R)
            </button>
          </section>
          {/* Re-read after a review: marking reviewed is also a follow-up step. */}
          <FollowUpPanel key={detail.review?.at ?? ''} batchId={batchId} patientId={detail.patientId} />
        </>
      )}
    </div>
  );
}
