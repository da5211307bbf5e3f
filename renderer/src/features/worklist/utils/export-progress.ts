import { pluralPatients } from '../../../components/format';

/** Where a streamed export is: main writing rows, then this window reading the file in chunks. */
export type ExportStage =
  | { stage: 'writing'; done: number; total: number }
  | { stage: 'reading'; done: number; total: number };

/** "Preparing 4096 of 100000 rows" then "Saving 3.0 of 12.4 MB", with the bar's percentage (never past full). */
export function exportProgressView(progress: ExportStage): { label: string; percent: number } {
  const percent = progress.total > 0 ? Math.round((100 * Math.min(progress.done, progress.total)) / progress.total) : 0;
  if (progress.stage === 'writing') {
    if (progress.total === 0) return { label: 'Preparing the export…', percent };
    return { label: `Preparing ${progress.done} of ${progress.total} rows`, percent };
  }
  const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);
  return { label: `Saving ${mb(progress.done)} of ${mb(progress.total)} MB`, percent };
}

/** The export button says what it will export: every patient, or the filtered ones out of all. */
export function exportButtonLabel(matching: number | null, total: number, exporting: boolean): string {
  if (exporting) return 'Exporting…';
  return matching === null || matching === total
    ? `Export CSV (all ${pluralPatients(total)})`
    : `Export CSV (${matching} filtered of ${total})`;
}
