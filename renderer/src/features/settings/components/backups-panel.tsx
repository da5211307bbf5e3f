import { RESTORE_CONFIRMATION } from '@contract/backup-methods';
import type { ApiError } from '@contract/result';
import { type FormEvent, useCallback, useState } from 'react';
import { useApi } from '../../../app/api-context';
import { ErrorBanner } from '../../../components/error-banner';
import { formatDateTime } from '../../../components/format';
import { useResult } from '../../../components/use-result';

/** Back up the database now, and restore a listed backup after typing the confirmation word. */
export function BackupsPanel({ onRestored }: { onRestored: () => void }) {
  const api = useApi();
  const backups = useResult(useCallback(() => api.listBackups({}), [api]));
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [chosen, setChosen] = useState('');
  const [confirmation, setConfirmation] = useState('');

  const backUp = async () => {
    setNotice(null);
    const result = await api.backupDatabase({});
    if (!result.ok) return setError(result.error);
    setError(null);
    setNotice(`Backed up as ${result.value.file} (${result.value.kept.length} kept).`);
    await backups.reload();
  };

  const restore = async (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    const result = await api.restoreDatabase({ file: chosen, confirm: confirmation as typeof RESTORE_CONFIRMATION });
    setConfirmation('');
    if (!result.ok) return setError(result.error);
    setError(null);
    setNotice(
      `Restored from ${result.value.restoredFrom}; the replaced database is kept as ${result.value.preRestoreCopy}.`,
    );
    await backups.reload();
    // The restored database has its own settings.
    onRestored();
  };

  const list = backups.value ?? [];
  return (
    <section className="panel" aria-labelledby="backups-heading">
      <h2 id="backups-heading">Backups</h2>
      <ErrorBanner error={backups.error ?? error} />
      {notice && (
        <p role="status" aria-label="Backup result">
          {notice}
        </p>
      )}
      <button type="button" onClick={() => void backUp()}>
        Back up now
      </button>
      {list.length === 0 ? (
        <p className="muted">No backups yet.</p>
      ) : (
        <form className="stack" onSubmit={restore} aria-label="Restore a backup">
          <label>
            Backup
            <select value={chosen} onChange={(e) => setChosen(e.target.value)} required>
              <option value="">Choose a backup</option>
              {list.map((b) => (
                <option key={b.file} value={b.file}>
                  {b.file} ({formatDateTime(b.takenAt)})
                </option>
              ))}
            </select>
          </label>
          <label>
            Type {RESTORE_CONFIRMATION} to replace the database with it
            <input value={confirmation} onChange={(e) => setConfirmation(e.target.value)} autoComplete="off" />
          </label>
          <div>
            <button type="submit" disabled={!chosen || confirmation !== RESTORE_CONFIRMATION}>
              Restore
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
