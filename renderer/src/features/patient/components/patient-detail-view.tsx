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
import { keepNoteDraft, noteDraft } from '../utils/note-drafts';

/** Worklist rows read per call while looking for the next patient to review. */
const UNREVIEWED_SEARCH_PAGE = 200;

/** One patient of a batch; J/K (or ←/→) walk the worklist in its current order, R marks reviewed. */
export function PatientDetailView({
  username,
  batchId,
  patientId,
  position,
  query,
  onNavigate,
  onBack,
}: {
  /** The signed-in user: a half-typed note is kept for them alone. */
  username: string;
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
  const [note, setNoteState] = useState(() => noteDraft(username, batchId, patientId));
  const setNote = useCallback(
    (text: string) => {
      setNoteState(text);
      keepNoteDraft(username, batchId, patientId, text);
    },
    [username, batchId, patientId],
  );
  const [saved, setSaved] = useState(false);
  /** The patient just marked reviewed, named on the next one's page so the move is not silent. */
  const [reviewedBefore, setReviewedBefore] = useState<string | null>(null);

  useEffect(() => {
    setDetail(null);
    setSaved(false);
    setNoteState(noteDraft(username, batchId, patientId));
    void api.patientDetail({ batchId, patientId }).then((result) => {
      if (result.ok) setDetail(result.value);
      else setError(result.error);
    });
  }, [api, batchId, patientId, username]);

  const go = useCallback(
    async (delta: number) => {
      const target = position + delta;
      if (target < 0) return;
      const page = await api.worklistPage({ batchId, query, offset: target, limit: 1 });
      if (page.ok && page.value.rows[0]) {
        setReviewedBefore(null);
        onNavigate(page.value.rows[0].patientId, target);
      }
    },
    [api, batchId, query, position, onNavigate],
  );

  /** The first patient after this one, in the worklist's order, with no review yet; null when there is none. */
  const nextUnreviewed = useCallback(async (): Promise<{ patientId: string; position: number } | null> => {
    // Listing only unreviewed patients, this one has just left the list: the next one now holds its position.
    const first = query.reviewed === 'unreviewed' ? position : position + 1;
    for (let offset = first; ; offset += UNREVIEWED_SEARCH_PAGE) {
      const page = await api.worklistPage({ batchId, query, offset, limit: UNREVIEWED_SEARCH_PAGE });
      if (!page.ok) return null;
      const k = page.value.rows.findIndex((row) => row.review === null && row.patientId !== patientId);
      if (k >= 0) return { patientId: page.value.rows[k].patientId, position: offset + k };
      if (offset + page.value.rows.length >= page.value.matching || page.value.rows.length === 0) return null;
    }
  }, [api, batchId, query, position, patientId]);

  const markReviewed = useCallback(async () => {
    const result = await api.markReviewed({ batchId, patientId, note });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setDetail((d) => (d ? { ...d, review: result.value, reviewHistory: [result.value, ...d.reviewHistory] } : d));
    setSaved(true);
    setNote('');
    // The daily path moves on to the next patient still to review, as the worklist's R does.
    const next = await nextUnreviewed();
    setReviewedBefore(patientId);
    if (next) onNavigate(next.patientId, next.position);
  }, [api, batchId, patientId, note, setNote, nextUnreviewed, onNavigate]);

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
      {reviewedBefore && (
        <p className="banner banner-ok" role="status" data-testid="reviewed-before">
          {reviewedBefore === patientId
            ? `Patient ${patientId} marked reviewed. No patient after this one in the worklist is left to review.`
            : `Patient ${reviewedBefore} marked reviewed. This is the next patient in the worklist not yet reviewed.`}
        </p>
      )}
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
            {detail.reviewHistory.length > 1 && (
              <>
                <h3 id="review-history-title">Earlier reviews and notes</h3>
                <ol className="review-history" aria-labelledby="review-history-title" data-testid="review-history">
                  {detail.reviewHistory.slice(1).map((r) => (
                    <li key={`${r.at}-${r.by}`}>
                      {formatDateTime(r.at)}, <strong>{r.by}</strong>
                      {r.note ? `: “${r.note}”` : ' (no note)'}
                    </li>
                  ))}
                </ol>
              </>
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
