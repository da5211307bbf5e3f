import type { PromotionPreview } from '@contract/model-registry-methods';
import { useEffect, useId, useState } from 'react';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { GateList } from './gate-list';

/**
 * Confirms a promotion after showing its gates: all passed, the admin confirms; an overridable gate failed, the
 * admin must write why before the button is enabled; a gate that cannot be overridden failed, it stays disabled.
 */
export function PromoteDialog({
  preview,
  onConfirm,
  onCancel,
}: {
  preview: PromotionPreview | null;
  onConfirm: (overrideReason: string | null) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const titleId = useId();
  const reasonId = useId();
  useEffect(() => {
    if (preview) setReason('');
  }, [preview]);
  const impossible = preview?.blocked === true && !preview.needsReason;
  const reasonShort = preview?.needsReason === true && reason.trim().length < preview.minReasonLength;
  return (
    <ConfirmDialog
      open={preview !== null}
      title={`Promote ${preview?.version ?? ''} to production?`}
      titleId={titleId}
      confirmLabel={preview?.requireSecondApprover ? 'Request promotion' : 'Promote'}
      confirmDisabled={impossible || reasonShort}
      onConfirm={() => onConfirm(preview?.needsReason ? reason.trim() : null)}
      onCancel={onCancel}
    >
      {preview && <GateList label={`Promotion gates of ${preview.version}`} gates={preview.results} />}
      {impossible && <p className="field-error">This version cannot be promoted.</p>}
      {preview?.needsReason && (
        <div className="field">
          <label htmlFor={reasonId}>
            Reason for overriding the failed gates (at least {preview.minReasonLength} characters)
          </label>
          <textarea id={reasonId} value={reason} rows={3} onChange={(e) => setReason(e.target.value)} />
        </div>
      )}
      {preview && !impossible && (
        <p>
          New batches will be scored by {preview.version}; the current production model{' '}
          {preview.productionVersion ?? ''} becomes the backup.
          {preview.requireSecondApprover ? ' Another admin must approve the request first.' : ''} This is recorded in
          the audit log under your name.
        </p>
      )}
    </ConfirmDialog>
  );
}
