import { type FormEvent, useEffect, useRef, useState } from 'react';
import '../../../components/dialog.css';

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
  const ref = useRef<HTMLDialogElement>(null);
  const [note, setNote] = useState('');

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (patientId && !dialog.open) {
      setNote('');
      dialog.showModal();
    } else if (!patientId && dialog.open) dialog.close();
  }, [patientId]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onConfirm(note);
  };

  return (
    <dialog ref={ref} aria-labelledby="review-dialog-title" onCancel={onCancel} className="dialog">
      <form onSubmit={submit}>
        <h2 id="review-dialog-title">Mark {patientId} reviewed</h2>
        <label>
          Note (optional)
          <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={3} maxLength={2000} />
        </label>
        <div className="row-actions">
          <button type="submit" className="primary">
            Mark reviewed
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
