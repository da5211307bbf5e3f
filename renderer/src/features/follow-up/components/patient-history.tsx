import type { PatientHistory } from '@contract/follow-up-types';
import { lazy, Suspense } from 'react';
import { formatDateTime, formatScore } from '../../../components/format';
import { SimpleTable } from '../../../components/simple-table';
import { statusLabel } from './status-text';

const HistoryTrend = lazy(() => import('./history-trend'));

/** Every screening of this patient_id across batches, with a trend line, and their follow-up steps and results. */
export function PatientHistoryPanel({ history, currentBatchId }: { history: PatientHistory; currentBatchId: string }) {
  return (
    <section className="panel stack" aria-labelledby="history-title">
      <h2 id="history-title">History of {history.patientId}</h2>
      <SimpleTable
        label="Screenings"
        rows={history.screenings}
        rowKey={(s) => `${s.batchId}-${s.rowIndex}`}
        columns={[
          {
            header: 'Screened',
            cell: (s) => `${formatDateTime(s.predictionDate)}${s.batchId === currentBatchId ? ' (this batch)' : ''}`,
          },
          { header: 'File', cell: (s) => s.fileName },
          { header: 'Score', cell: (s) => formatScore(s.score), className: 'num' },
          { header: 'Risk', cell: (s) => s.category },
          { header: 'Screening', cell: (s) => (s.recommended ? 'Recommended' : '—') },
          { header: 'Model', cell: (s) => s.modelVersion },
        ]}
      />
      {history.screenings.length > 1 && (
        <Suspense fallback={<p role="status">Loading the chart …</p>}>
          <HistoryTrend screenings={history.screenings} />
        </Suspense>
      )}
      <h3>Follow-up steps</h3>
      {history.events.length === 0 ? (
        <p className="muted">No follow-up step recorded yet.</p>
      ) : (
        <SimpleTable
          label="Follow-up steps"
          rows={history.events}
          rowKey={(e) => e.id}
          columns={[
            { header: 'When', cell: (e) => formatDateTime(e.at) },
            { header: 'Status', cell: (e) => `${statusLabel(e.status)}${e.correction ? ' (correction)' : ''}` },
            { header: 'By', cell: (e) => e.by },
            { header: 'Note', cell: (e) => e.note || '—', className: 'wrap' },
          ]}
        />
      )}
      <h3>Results</h3>
      {history.results.length === 0 ? (
        <p className="muted">No test result recorded yet.</p>
      ) : (
        <SimpleTable
          label="Results"
          rows={history.results}
          rowKey={(r) => r.id}
          columns={[
            { header: 'Test date', cell: (r) => r.testDate },
            { header: 'Outcome', cell: (r) => (r.outcome === 1 ? 'Diabetes' : 'No diabetes') },
            { header: 'Rule applied', cell: (r) => r.rule, className: 'wrap' },
          ]}
        />
      )}
    </section>
  );
}
