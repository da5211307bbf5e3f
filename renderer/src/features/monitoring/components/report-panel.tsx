import type { ApiError } from '@contract/result';
import { useState } from 'react';
import { useApi } from '../../../app/api-context';
import { downloadFile } from '../../../components/download';
import { ErrorBanner } from '../../../components/error-banner';

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The printable drift and monitoring report of a period, for governance meetings: one self-contained HTML file. */
export function ReportPanel() {
  const api = useApi();
  const today = new Date();
  const [from, setFrom] = useState(isoDay(new Date(today.getTime() - 27 * 86_400_000)));
  const [to, setTo] = useState(isoDay(today));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const download = async () => {
    setBusy(true);
    setDone(null);
    const result = await api.governanceReport({ from, to });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(null);
    const file = result.value;
    downloadFile(file);
    setDone(`Saved ${file.fileName}: open it in a browser to read or print it.`);
  };

  return (
    <section className="panel" aria-labelledby="governance-report">
      <h2 id="governance-report">Report for a governance meeting</h2>
      <p className="muted">
        Drift verdicts per batch, weekly realised performance with charts, and every alert of the period, as one
        printable HTML file. Counts only: it holds no patient&apos;s data.
      </p>
      <div className="row-actions">
        <label>
          From <input type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          To <input type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
        </label>
        <button type="button" disabled={busy || !from || !to} onClick={() => void download()}>
          {busy ? 'Preparing …' : 'Download report (HTML)'}
        </button>
      </div>
      <ErrorBanner error={error} />
      {done && <p role="status">{done}</p>}
    </section>
  );
}
