import type { ApiError } from '@contract/result';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { useApi } from '../../../app/api-context';
import { ErrorBanner } from '../../../components/error-banner';
import { useAssignee } from './assignee-select';
import { bulkMessage, notifyFollowUpChanged } from './status-text';
import '../follow-up.css';

interface Selection {
  selected: ReadonlySet<string>;
  toggle: (patientId: string) => void;
  clear: () => void;
}

const SelectionContext = createContext<Selection | null>(null);

/** The worklist's patient selection for bulk follow-up actions; it is cleared when the batch changes. */
export function WorklistSelection({ batchId, children }: { batchId: string; children: ReactNode }) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new batch starts a new selection
  useEffect(() => setSelected(new Set()), [batchId]);
  const value = useMemo<Selection>(
    () => ({
      selected,
      toggle: (id) =>
        setSelected((current) => {
          const next = new Set(current);
          if (next.has(id)) next.delete(id);
          else next.add(id);
          return next;
        }),
      clear: () => setSelected(new Set()),
    }),
    [selected],
  );
  return <SelectionContext.Provider value={value}>{children}</SelectionContext.Provider>;
}

/** The checkbox in a worklist row (outside a WorklistSelection it renders nothing). */
export function SelectPatientBox({ patientId }: { patientId: string }) {
  const selection = useContext(SelectionContext);
  if (!selection) return null;
  return (
    <input
      type="checkbox"
      className="select-patient"
      tabIndex={-1}
      aria-label={`Select ${patientId}`}
      checked={selection.selected.has(patientId)}
      onChange={() => selection.toggle(patientId)}
      onClick={(event) => event.stopPropagation()}
    />
  );
}

/** Assign the selected patients to someone, or mark them contacted, with one note. */
export function BulkFollowUpBar({ batchId }: { batchId: string }) {
  const api = useApi();
  const selection = useContext(SelectionContext);
  const { assignee, picker } = useAssignee(null);
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  if (!selection) return null;
  const ids = [...selection.selected];
  const run = async (kind: 'assign' | 'contacted') => {
    const result =
      kind === 'assign'
        ? await api.assignFollowUp({ patientIds: ids, assignee })
        : await api.markContacted({ batchId, patientIds: ids, note });
    if (result.ok) {
      setMessage(bulkMessage(kind === 'assign' ? `Assigned to ${assignee}:` : 'Marked contacted:', result.value));
      setError(null);
      setNote('');
      selection.clear();
      notifyFollowUpChanged();
    } else setError(result.error);
  };
  // Out of the way until a patient is ticked: the worklist keeps its height for the rows.
  if (ids.length === 0) {
    return (
      <div className="muted">
        {message ? <p role="status">{message}</p> : <p>Tick patients to assign them or mark them contacted.</p>}
        <ErrorBanner error={error} />
      </div>
    );
  }
  return (
    <section className="panel" aria-label="Follow-up of the selected patients">
      <div className="bulk-bar">
        <strong data-testid="selection-count">{ids.length} selected</strong>
        {picker}
        <button type="button" disabled={!assignee} onClick={() => void run('assign')}>
          Assign selected
        </button>
        <label>
          Contact note
          <input value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
        </label>
        <button type="button" onClick={() => void run('contacted')}>
          Mark selected contacted
        </button>
        <button type="button" className="link" onClick={selection.clear}>
          Clear selection
        </button>
      </div>
      <ErrorBanner error={error} />
    </section>
  );
}
