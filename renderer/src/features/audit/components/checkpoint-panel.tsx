import type { AuditCheckpointDto } from '@contract/outputs';
import { useState } from 'react';
import { useApi } from '../../../app/api-context';
import { ErrorBanner } from '../../../components/error-banner';

/**
 * Makes a signed checkpoint of the audit chain head for the admin to save or print and keep elsewhere; later,
 * `npm run audit:verify -- --checkpoint FILE` proves nothing before it was removed or rewritten.
 */
export function CheckpointPanel({ onMade }: { onMade: () => void }) {
  const api = useApi();
  const [checkpoint, setCheckpoint] = useState<AuditCheckpointDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const make = async () => {
    setBusy(true);
    setError(null);
    const result = await api.auditCheckpoint({});
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setCheckpoint(result.value);
    onMade();
  };
  const save = (c: AuditCheckpointDto) => {
    const url = URL.createObjectURL(new Blob([c.text], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = c.fileName;
    link.click();
    URL.revokeObjectURL(url);
  };
  return (
    <section className="panel" aria-labelledby="audit-checkpoint">
      <h2 id="audit-checkpoint">Checkpoint</h2>
      <p>
        A signed record of the newest audit event. Save or print it and keep it away from this computer: it shows later
        whether any audit events before it were removed or rewritten.
      </p>
      <div className="row-actions">
        <button type="button" className="primary" disabled={busy} onClick={() => void make()}>
          Make checkpoint
        </button>
        {checkpoint && (
          <>
            <button type="button" onClick={() => save(checkpoint)}>
              Save checkpoint file
            </button>
            <button type="button" onClick={() => window.print()}>
              Print
            </button>
          </>
        )}
      </div>
      <ErrorBanner error={error} />
      {checkpoint && <pre className="params">{checkpoint.text}</pre>}
    </section>
  );
}
