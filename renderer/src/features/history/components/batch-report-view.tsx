import type { ValidationReportDto } from '@contract/outputs';
import type { ApiError } from '@contract/result';
import { useEffect, useState } from 'react';
import { useApi } from '../../../app/api-context';
import { ErrorBanner } from '../../../components/error-banner';
import { ValidationReportTable } from '../../import/components/validation-report-table';

/** A past batch's validation report, reachable at any time (not only right after the import). */
export function BatchReportView({ batchId, onBack }: { batchId: string; onBack: () => void }) {
  const api = useApi();
  const [report, setReport] = useState<ValidationReportDto | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    void api.getValidationReport({ batchId }).then((r) => (r.ok ? setReport(r.value) : setError(r.error)));
  }, [api, batchId]);

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
