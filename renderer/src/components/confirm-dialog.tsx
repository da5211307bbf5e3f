import { useEffect, useId, useRef } from 'react';
import './dialog.css';

/** A modal confirmation for consequential actions (promote, roll back, mark reviewed). */
export function ConfirmDialog({
  open,
  title,
  titleId,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
  confirmDisabled = false,
}: {
  open: boolean;
  title: string;
  /** The heading's id, which labels the dialog; by default one of its own, since several dialogs are mounted at once. */
  titleId?: string;
  children: React.ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  /** While true the confirm button is disabled (e.g. a required reason is still missing). */
  confirmDisabled?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const ownTitleId = useId();
  const labelId = titleId ?? ownTitleId;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    else if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} aria-labelledby={labelId} onCancel={onCancel} className="dialog">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!confirmDisabled) onConfirm();
        }}
      >
        <h2 id={labelId}>{title}</h2>
        {children}
        <div className="row-actions">
          <button type="submit" className="primary" disabled={confirmDisabled}>
            {confirmLabel}
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
