import type { ModelVersionDto } from '@contract/admin-outputs';
import type { ApiError } from '@contract/result';
import type { ShadowStatus } from '@contract/shadow-types';
import { useState } from 'react';
import { useApi } from '../../../app/api-context';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { ErrorBanner } from '../../../components/error-banner';
import { formatDateTime } from '../../../components/format';

type Pending = { kind: 'set'; model: ModelVersionDto } | { kind: 'clear' } | null;

/** A usable bundle other than production, and not already the shadow. */
function candidates(versions: readonly ModelVersionDto[], status: ShadowStatus | null): ModelVersionDto[] {
  return versions.filter(
    (v) => v.location !== 'production' && !v.problem && v.version !== null && v.id !== status?.current?.modelId,
  );
}

/**
 * Which candidate scores every batch in shadow beside production (its scores are stored, never shown to
 * clinicians): put one in shadow or stop it, confirmed and audited.
 */
export function ShadowControl({
  versions,
  status,
  onChanged,
}: {
  versions: readonly ModelVersionDto[];
  status: ShadowStatus | null;
  onChanged: (status: ShadowStatus) => void;
}) {
  const api = useApi();
  const [pending, setPending] = useState<Pending>(null);
  const [chosen, setChosen] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const options = candidates(versions, status);
  const selected = options.find((v) => v.id === chosen) ?? options[0] ?? null;
  const current = status?.current ?? null;

  const confirm = async () => {
    const action = pending;
    setPending(null);
    if (!action) return;
    const result =
      action.kind === 'set'
        ? await api.setShadow({ modelId: action.model.id, confirmed: true })
        : await api.clearShadow({ confirmed: true });
    if (result.ok) {
      setError(null);
      setDone(
        action.kind === 'set'
          ? `${action.model.version} is now in shadow: it scores every new batch beside production.`
          : 'Shadow scoring stopped.',
      );
      onChanged(result.value);
    } else {
      setDone(null);
      setError(result.error);
    }
  };

  return (
    <section className="panel" aria-labelledby="shadow-control">
      <h2 id="shadow-control">Shadow model</h2>
      <ErrorBanner error={error} />
      {done && (
        <p className="banner banner-ok" role="status">
          {done}
        </p>
      )}
      <p>
        {current ? (
          <>
            In shadow: <strong>{current.modelVersion}</strong>{' '}
            <span className="muted">
              ({current.modelId}, since {formatDateTime(current.assignedAt)} by {current.assignedBy})
            </span>
          </>
        ) : (
          'No model is in shadow.'
        )}
      </p>
      <div className="row-actions">
        {selected ? (
          <>
            <label>
              Candidate{' '}
              <select value={selected.id} onChange={(event) => setChosen(event.target.value)}>
                {options.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.version} ({v.id})
                  </option>
                ))}
              </select>
            </label>
            <button type="button" onClick={() => setPending({ kind: 'set', model: selected })}>
              Put {selected.version} in shadow
            </button>
          </>
        ) : (
          <span className="muted">No other usable model is installed to put in shadow.</span>
        )}
        <button type="button" disabled={!current} onClick={() => setPending({ kind: 'clear' })}>
          Stop shadow scoring
        </button>
      </div>
      <ConfirmDialog
        open={pending !== null}
        titleId="shadow-confirm-title"
        title={pending?.kind === 'set' ? `Put ${pending.model.version} in shadow?` : 'Stop shadow scoring?'}
        confirmLabel={pending?.kind === 'set' ? 'Put in shadow' : 'Stop'}
        onConfirm={() => void confirm()}
        onCancel={() => setPending(null)}
      >
        <p>
          {pending?.kind === 'set'
            ? `Every new batch will also be scored by ${pending.model.version}${current ? ` instead of ${current.modelVersion}` : ''}. Its scores are stored for comparison only: clinicians, the worklist and the output files keep production's.`
            : `New batches will no longer be scored by ${current?.modelVersion ?? 'the shadow'}; its comparison stays available.`}{' '}
          This is recorded in the audit log under your name.
        </p>
      </ConfirmDialog>
    </section>
  );
}
