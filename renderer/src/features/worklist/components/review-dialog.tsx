import { useEffect, useState } from 'react';
import { ConfirmDialog } from '../../../components/confirm-dialog';

/** Asks for an optional note before a patient is marked reviewed (the note goes into the audit log). */
export function ReviewDialog({
  patientId,
  onConfirm,
  onCancel,
}: {
  patientId: string | null;
  onConfirm: (note: string) => void;
  onCancel: () => void;
}) {
  const [note, setNote] = useState('');

  // Every opening starts with an empty note.
  useEffect(() => {
    if (patientId) setNote('');
  }, [patientId]);

  return (
    <ConfirmDialog
      open={Boolean(patientId)}
      title={`Mark ${patientId ?? ''} reviewed`}
      titleId="review-dialog-title"
      confirmLabel="Mark reviewed"
      onConfirm={() => onConfirm(note)}
      onCancel={onCancel}
    >
      <label>
        Note (optional)
        <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={3} maxLength={2000} />
      </label>
    </ConfirmDialog>
  );
}
