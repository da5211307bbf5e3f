import type { PromotionRequestDto } from '@contract/admin-outputs';
import { formatDateTime } from '../../../components/format';
import { GateList } from './gate-list';

/** Promotions waiting for a second admin: another admin may approve; anyone may reject (the requester withdraws). */
export function PendingPromotions({
  requests,
  currentUser,
  onApprove,
  onReject,
}: {
  requests: PromotionRequestDto[];
  currentUser: string | null;
  onApprove: (request: PromotionRequestDto) => void;
  onReject: (request: PromotionRequestDto) => void;
}) {
  return (
    <section className="panel" aria-labelledby="pending-promotions">
      <h2 id="pending-promotions">Promotions waiting for a second admin</h2>
      {requests.length === 0 && <p className="muted">None.</p>}
      {requests.map((r) => (
        <article key={r.requestId} aria-label={`Request ${r.requestId}: ${r.version}`} className="stack">
          <p>
            <strong>{r.version}</strong> ({r.modelId}), requested by {r.requestedBy} on {formatDateTime(r.requestedAt)}
            {r.overrideReason ? `. Override reason: “${r.overrideReason}”` : ''}
          </p>
          <GateList label={`Gates of request ${r.requestId}`} gates={r.gates} />
          <div className="row-actions">
            {r.requestedBy !== currentUser && (
              <button type="button" onClick={() => onApprove(r)}>
                Approve {r.version}
              </button>
            )}
            <button type="button" onClick={() => onReject(r)}>
              {r.requestedBy === currentUser ? `Withdraw ${r.version}` : `Reject ${r.version}`}
            </button>
          </div>
        </article>
      ))}
    </section>
  );
}
