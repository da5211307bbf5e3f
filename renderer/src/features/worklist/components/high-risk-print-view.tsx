import { useCallback } from 'react';
import { useApi } from '../../../app/api-context';
import { assumedPhrase } from '../../../components/assumed-values';
import { ErrorBanner } from '../../../components/error-banner';
import { formatDateTime, formatMeasure, formatNumber, formatScore, pluralPatients } from '../../../components/format';
import { useResult } from '../../../components/use-result';
import '../../../components/data-table.css';
import '../worklist.css';

/** A print-friendly list of the batch's High-risk patients (the print stylesheet hides the app chrome). */
export function HighRiskPrintView({ batchId, onBack }: { batchId: string; onBack: () => void }) {
  const api = useApi();
  const { value: list, error } = useResult(useCallback(() => api.highRiskList({ batchId }), [api, batchId]));

  return (
    <div className="stack print-view">
      <div className="heading-row no-print">
        <button type="button" onClick={onBack}>
          ← Back to worklist
        </button>
        <button type="button" className="primary" onClick={() => window.print()}>
          Print
        </button>
      </div>
      <ErrorBanner error={error} />
      {list && (
        <article aria-labelledby="print-title">
          <h1 id="print-title">High-risk patients — {list.batch.fileName}</h1>
          <p>
            Batch imported {formatDateTime(list.batch.importedAt)} · model {list.batch.modelVersion} · printed{' '}
            {formatDateTime(list.generatedAt)} by {list.generatedBy} · {pluralPatients(list.rows.length)}
          </p>
          <table className="data-table print-table">
            <thead>
              <tr>
                <th scope="col">Patient ID</th>
                <th scope="col" className="num">
                  Score
                </th>
                <th scope="col" className="num">
                  Glucose (mg/dL)
                </th>
                <th scope="col" className="num">
                  BMI
                </th>
                <th scope="col" className="num">
                  Age
                </th>
                <th scope="col">Incomplete</th>
                <th scope="col">Reviewed</th>
                <th scope="col">Notes</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((row) => (
                <tr key={row.rowIndex}>
                  <td>{row.patientId}</td>
                  <td className="num">{formatScore(row.score)}</td>
                  <td className="num">{formatMeasure(row.glucose)}</td>
                  <td className="num">{formatNumber(row.bmi, 1)}</td>
                  <td className="num">{formatNumber(row.age)}</td>
                  <td>{row.assumed.length > 0 ? row.assumed.map(assumedPhrase).join(', ') : ''}</td>
                  <td>{row.review ? `✓ ${row.review.by}` : '☐'}</td>
                  <td className="notes-cell">{row.review?.note ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </article>
      )}
    </div>
  );
}
