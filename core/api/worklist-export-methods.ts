import { z } from 'zod';
import { ExportWorklistInput, OperationId } from './inputs';
import { method } from './method-spec';

/** The worklist export, streamed: main writes it to a private temp file slice by slice, the UI reads it in chunks. */
export const StartWorklistExportInput = ExportWorklistInput.extend({ operationId: OperationId });
export const ReadExportChunkInput = z.strictObject({
  exportId: z.string().regex(/^[0-9a-f]{32}$/, 'export id must be 32 hex digits'),
  offset: z.number().int().min(0),
  /** At most this many bytes come back (whole lines only); at least one line always fits. */
  maxBytes: z
    .number()
    .int()
    .min(64 * 1024)
    .max(16 * 1024 * 1024)
    .default(4 * 1024 * 1024),
});

/** A worklist export written in main and ready to be read with readExportChunk. */
export interface PreparedExport {
  exportId: string;
  fileName: string;
  mimeType: 'text/csv';
  rowCount: number;
  bytes: number;
}

/** Whole CSV lines from `offset`; `nextOffset` is where the next chunk starts. After the last one, the file is gone. */
export interface ExportChunk {
  content: string;
  nextOffset: number;
  done: boolean;
}

/** Rows written so far while startWorklistExport runs, pushed as `exportProgress` events. */
export interface ExportProgress {
  operationId: string;
  done: number;
  total: number;
}

export const worklistExportMethods = {
  /** Writes the worklist (filtered and sorted as given) to a temp file; progress comes as `exportProgress` events. */
  startWorklistExport: method(StartWorklistExportInput, 'clinician').returns<PreparedExport>(),
  /** Only the session that started the export can read it. */
  readExportChunk: method(ReadExportChunkInput, 'clinician').returns<ExportChunk>(),
} as const;
