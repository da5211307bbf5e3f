import type { ImportProgress } from '@contract/outputs';

const PHASE_LABEL: Record<ImportProgress['phase'], string> = {
  reading: 'Reading the file',
  validating: 'Validating rows',
  scoring: 'Scoring patients',
  storing: 'Saving the batch',
  done: 'Done',
};

/**
 * What the progress bar and its label show. "Done" fills the bar: the final event carries no row counts, and an
 * indeterminate bar looks half-way. An unknown total leaves the bar indeterminate (undefined) rather than empty.
 */
export function importProgressView(progress: ImportProgress): { label: string; percent: number | undefined } {
  if (progress.phase === 'done') return { label: PHASE_LABEL.done, percent: 100 };
  const label = PHASE_LABEL[progress.phase];
  if (!progress.total) return { label, percent: undefined };
  const done = Math.min(progress.done, progress.total);
  return {
    label: `${label} (${done} of ${progress.total} rows)`,
    percent: Math.round((100 * done) / progress.total),
  };
}
