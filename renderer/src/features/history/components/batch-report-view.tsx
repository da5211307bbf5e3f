import { useCallback } from 'react';
import { useApi } from '../../../app/api-context';
import { ErrorBanner } from '../../../components/error-banner';
import { useResult } from '../../../components/use-result';
import { ValidationReportTable } from '../../import/components/validation-report-table';

/** A past batch's validation report, reachable at any time (not only right after the import). */
export function BatchReportView({ batchId, onBack }: { batchId: string; onBack: () => void }) {
  const api = useApi();
  const { value: report, error } = useResult(useCallback(() => api.getValidationReport({ batchId }), [api, batchId]));

  return (
    <div className="stack">
      <div className="heading-row">
        <button type="button" onClick={onBack}>
          ← Back
        </button>
        <h1>Validation report{report ? ` — ${report.fileName}` : ''}</h1>
      </div>
      <ErrorBanner error={error} />
      {report && <ValidationReportTable report={report} />}
    </div>
  );
}
