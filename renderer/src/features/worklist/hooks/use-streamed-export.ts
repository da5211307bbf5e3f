import type { WorklistQueryInput } from '@contract/inputs';
import type { ApiError } from '@contract/result';
import { useEffect, useRef, useState } from 'react';
import { useApi, useApiClient } from '../../../app/api-context';
import { downloadParts } from '../../../components/download';
import { newOperationId } from '../../../components/operation-id';
import type { ExportStage } from '../utils/export-progress';

/**
 * The worklist export, streamed: main writes the CSV to a temp file (progress as `exportProgress` events), then
 * this window reads it in chunks into a Blob, so no side holds the whole file as one string.
 */
export function useStreamedExport(batchId: string) {
  const api = useApi();
  const client = useApiClient();
  const [progress, setProgress] = useState<ExportStage | null>(null);
  const operation = useRef<string | null>(null);
  /** Events can arrive after the start call's answer; once reading has begun they must not set the bar back. */
  const writing = useRef(false);

  useEffect(
    () =>
      client.on('exportProgress', (event) => {
        if (event.operationId === operation.current && writing.current) {
          setProgress({ stage: 'writing', done: event.done, total: event.total });
        }
      }),
    [client],
  );

  /** Runs the export and saves the file; the error, if any, for the caller to show. */
  const run = async (query: WorklistQueryInput): Promise<ApiError | null> => {
    // A second click before the button re-renders disabled must not start a second export.
    if (operation.current) return null;
    const operationId = newOperationId();
    operation.current = operationId;
    writing.current = true;
    setProgress({ stage: 'writing', done: 0, total: 0 });
    try {
      const prepared = await api.startWorklistExport({ operationId, batchId, query });
      writing.current = false;
      if (!prepared.ok) return prepared.error;
      const { exportId, bytes, fileName, mimeType } = prepared.value;
      const parts: string[] = [];
      for (let offset = 0, done = false; !done; ) {
        setProgress({ stage: 'reading', done: offset, total: bytes });
        const chunk = await api.readExportChunk({ exportId, offset });
        if (!chunk.ok) return chunk.error;
        parts.push(chunk.value.content);
        ({ nextOffset: offset, done } = chunk.value);
      }
      downloadParts(fileName, mimeType, parts);
      return null;
    } finally {
      writing.current = false;
      operation.current = null;
      setProgress(null);
    }
  };

  return { progress, run };
}
