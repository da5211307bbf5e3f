import type { ImportProgress, ImportResult, ValidationReportDto } from '@contract/outputs';
import type { ApiError } from '@contract/result';
import { type DragEvent, useEffect, useRef, useState } from 'react';
import { useApi, useApiClient } from '../../../app/api-context';
import { downloadFile } from '../../../components/download';
import { localiseTimes, pluralPatients } from '../../../components/format';
import { newOperationId } from '../../../components/operation-id';
import { BatchDriftNotice } from '../../alerts/batch-drift-notice';
import { importProgressView } from '../utils/import-progress';
import { ValidationReportTable } from './validation-report-table';
import '../import.css';

export function ImportView({ onOpenBatch }: { onOpenBatch: (batchId: string) => void }) {
  const api = useApi();
  const client = useApiClient();
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [rejectedReport, setRejectedReport] = useState<ValidationReportDto | null>(null);
  const operation = useRef<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(
    () =>
      client.on('importProgress', (event) => {
        if (event.operationId === operation.current) setProgress(event);
      }),
    [client],
  );

  const importFile = async (file: File) => {
    setBusy(true);
    setResult(null);
    setError(null);
    setRejectedReport(null);
    const operationId = newOperationId();
    operation.current = operationId;
    setProgress({ operationId, phase: 'reading', done: 0, total: null });
    const content = await file.text();
    const response = await api.importBatch({ operationId, fileName: file.name, content });
    setBusy(false);
    setProgress(null);
    if (response.ok) setResult(response.value);
    else {
      setError(response.error);
      setRejectedReport(response.error.report ?? null);
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) void importFile(file);
  };

  const exportRejected = async () => {
    if (!result) return;
    const file = await api.exportRejectedRows({ batchId: result.batch.batchId });
    if (file.ok) downloadFile(file.value);
    else setError(file.error);
  };

  const shown = progress && importProgressView(progress);

  return (
    <div className="stack">
      <h1>Import a daily batch</h1>
      <section
        className={dragging ? 'dropzone dragging' : 'dropzone'}
        aria-label="Drop a CSV file here"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>Drag a CSV file here, or</p>
        <button type="button" className="primary" disabled={busy} onClick={() => inputRef.current?.click()}>
          Choose a CSV file…
        </button>
        <input
          ref={inputRef}
          type="file"
          accept=".csv,text/csv"
          className="visually-hidden"
          aria-label="CSV file to import"
          data-testid="import-file-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void importFile(file);
          }}
        />
        <p className="muted">
          Required columns: patient_id, Pregnancies, Glucose, BloodPressure, SkinThickness, Insulin, BMI,
          DiabetesPedigreeFunction, Age.
        </p>
      </section>

      {shown && (
        <div className="panel" aria-live="polite">
          <label>
            {shown.label}
            <progress max={100} value={shown.percent} aria-label="Import progress" />
          </label>
        </div>
      )}

      {error && (
        <div role="alert" className="banner banner-error">
          <strong>
            {error.code === 'file-held'
              ? 'The file was held, not scored.'
              : error.code === 'screen-failed'
                ? 'The import stopped part-way.'
                : 'The file was not imported.'}
          </strong>{' '}
          {localiseTimes(error.message)}
          {error.code === 'file-rejected' && <div>Nothing was stored.</div>}
          {error.code === 'file-held' && <div>No patient was stored; the batch is recorded as held.</div>}
        </div>
      )}
      {rejectedReport && <ValidationReportTable report={rejectedReport} />}

      {result && (
        <>
          <div className="panel" role="status">
            <h2>
              Imported {pluralPatients(result.batch.acceptedRows)} from {result.batch.fileName}
            </h2>
            <p>
              High: <strong>{result.batch.counts.High}</strong> · Medium: <strong>{result.batch.counts.Medium}</strong>{' '}
              · Low: <strong>{result.batch.counts.Low}</strong> · Recommended for screening:{' '}
              <strong>{result.batch.recommendedCount}</strong>
              {result.batch.rejectedRows > 0 && (
                <>
                  {' '}
                  · Rejected rows: <strong>{result.batch.rejectedRows}</strong>
                </>
              )}{' '}
              · Incomplete (scored on an assumed Glucose or BMI):{' '}
              <strong data-testid="import-incomplete">{result.incompleteCount}</strong>
            </p>
            {result.batch.units && <p data-testid="import-units">Units: {result.batch.units}</p>}
            {result.batch.attention && (
              <p className="banner banner-warning" data-testid="import-attention">
                {result.batch.attention}
              </p>
            )}
            <BatchDriftNotice drift={result.batch.drift} />
            <div className="row-actions">
              <button type="button" className="primary" onClick={() => onOpenBatch(result.batch.batchId)}>
                Open worklist
              </button>
              {result.batch.rejectedRows > 0 && (
                <button type="button" onClick={() => void exportRejected()}>
                  Export rejected rows (CSV)
                </button>
              )}
            </div>
          </div>
          <ValidationReportTable report={result.report} />
        </>
      )}
    </div>
  );
}
