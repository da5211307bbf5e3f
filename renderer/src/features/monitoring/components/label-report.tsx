import type { LabelImportReport } from '@contract/label-types';
import { SimpleTable } from '../../../components/simple-table';
import { reasonCounts } from '../utils/reason-counts';

/** What a labels import did: counts, then the unmatched and conflicting labels (first 200 of each). */
export function LabelReport({ report }: { report: LabelImportReport }) {
  return (
    <div className="stack" role="status" aria-label="Labels import report">
      {report.status === 'rejected' ? (
        <p className="banner banner-error">
          {report.file} was rejected: {report.message}
        </p>
      ) : (
        <dl className="stats">
          {(
            [
              ['Rows read', report.rowsRead],
              ['Matched', report.matched],
              ['Newly stored', report.inserted],
              ['Unchanged', report.unchanged],
              ['Unmatched', report.unmatched.length],
              ['Conflicting', report.conflicts.length],
              ['Rejected rows', report.rejected.length],
            ] as const
          ).map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
      {report.unmatched.length > 0 && (
        <p className="banner banner-warning" data-testid="unmatched-summary">
          {report.unmatched.length} label{report.unmatched.length === 1 ? '' : 's'} not matched:{' '}
          {reasonCounts(report.unmatched.map((u) => u.reason))}
        </p>
      )}
      {report.unmatched.length > 0 && (
        <details>
          <summary>Unmatched labels ({report.unmatched.length})</summary>
          <SimpleTable
            label="Unmatched labels"
            rows={report.unmatched.slice(0, 200)}
            rowKey={(u) => `${u.line}-${u.patientId}`}
            columns={[
              { header: 'Line', cell: (u) => u.line, className: 'num' },
              { header: 'patient_id', cell: (u) => u.patientId },
              { header: 'Reason', cell: (u) => u.reason },
            ]}
          />
        </details>
      )}
      {report.conflicts.length > 0 && (
        <details>
          <summary>Conflicting labels ({report.conflicts.length})</summary>
          <SimpleTable
            label="Conflicting labels"
            rows={report.conflicts.slice(0, 200)}
            rowKey={(c) => `${c.line}-${c.patientId}`}
            columns={[
              { header: 'Line', cell: (c) => c.line ?? '—', className: 'num' },
              { header: 'patient_id', cell: (c) => c.patientId },
              { header: 'Stored outcome', cell: (c) => c.storedOutcome, className: 'num' },
              { header: 'New outcome', cell: (c) => c.newOutcome, className: 'num' },
            ]}
          />
        </details>
      )}
    </div>
  );
}
