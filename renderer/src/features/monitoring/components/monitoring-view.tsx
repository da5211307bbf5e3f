import type { LabelImportReport } from '@contract/label-types';
import type { ApiError } from '@contract/result';
import { useCallback, useState } from 'react';
import { useApi } from '../../../app/api-context';
import { CsvFileInput } from '../../../components/csv-file-input';
import { ErrorBanner } from '../../../components/error-banner';
import { useResult } from '../../../components/use-result';
import { AlertsPanel } from './alerts-panel';
import { LabelReport } from './label-report';
import { ReportPanel } from './report-panel';
import { WeeklyCharts } from './weekly-charts';

/** Realised weekly performance from delayed labels, label-free estimates, alerts, and the labels import. */
export function MonitoringView() {
  const api = useApi();
  const summary = useResult(useCallback(() => api.monitoringSummary({}), [api]));
  const [report, setReport] = useState<LabelImportReport | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [acknowledged, setAcknowledged] = useState<string | null>(null);
  const data = summary.value;

  return (
    <div className="stack">
      <h1>Monitoring</h1>
      <ErrorBanner error={error ?? summary.error} />
      <section className="panel" aria-labelledby="labels-import">
        <h2 id="labels-import">Import labels</h2>
        <p className="muted">
          A CSV of confirmed diagnoses: patient_id, outcome (0/1) and optionally diagnosis_date. Each label is matched
          to that patient&apos;s latest prediction on or before the diagnosis date.
        </p>
        <CsvFileInput
          label="Labels file"
          disabled={busy}
          onFile={async (file) => {
            setBusy(true);
            const result = await api.importLabels(file);
            setBusy(false);
            if (result.ok) {
              setReport(result.value.report);
              summary.setValue(result.value.monitoring);
              setError(null);
            } else setError(result.error);
          }}
        />
        {busy && <p role="status">Importing …</p>}
        {report && <LabelReport report={report} />}
      </section>
      <ReportPanel />

      {data && (
        <>
          <AlertsPanel
            data={data}
            acknowledged={acknowledged}
            onAcknowledge={async (id) => {
              const result = await api.acknowledgeAlert({ alertId: id });
              if (result.ok) {
                setAcknowledged(`Alert ${id} acknowledged.`);
                await summary.reload();
              } else setError(result.error);
            }}
          />
          <WeeklyCharts data={data} />
        </>
      )}
    </div>
  );
}
