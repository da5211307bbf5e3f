import type { WorklistQueryParsed } from '../../api/inputs';
import type { BatchRecord } from '../../store/batch-repository';
import type { AppContext } from '../app-context';
import { stem } from '../batches/batch-mapping';
import { csvLines } from '../csv-export';
import type { CallContext } from '../dispatch';
import { queryShape } from '../users/read-access';
import { assumedValueFiller, explainRows } from './patient-detail';
import { topFactors } from './risk-factors';
import { EXPORT_EXPLAIN_SLICE, exportRow, WORKLIST_EXPORT_HEADER } from './worklist-export';

/**
 * The worklist export as CSV text, the header first and then one slice of rows at a time in the query's order:
 * reasons are explained per slice, so a 100 000-row export never holds every explanation, or every line, at once.
 */
export async function* worklistCsvSlices(
  app: AppContext,
  record: BatchRecord,
  query: WorklistQueryParsed,
): AsyncGenerator<{ text: string; rows: number; total: number }> {
  const index = app.worklists.of(record);
  const order = index.order(query);
  const fill = await assumedValueFiller(app, record);
  yield { text: csvLines([WORKLIST_EXPORT_HEADER]), rows: 0, total: order.length };
  for (let start = 0; start < order.length; start += EXPORT_EXPLAIN_SLICE) {
    const slice = Array.from(order.subarray(start, start + EXPORT_EXPLAIN_SLICE));
    const explanations = await explainRows(app, record, slice);
    const lines = slice.map((rowIndex, k) =>
      exportRow(fill(index.row(rowIndex)), explanations ? topFactors(explanations[k].factors) : null),
    );
    yield { text: csvLines(lines), rows: slice.length, total: order.length };
  }
}

export function worklistFileName(record: BatchRecord): string {
  return `${stem(record.fileName)}_worklist.csv`;
}

/** Who exported how many rows of which batch, with the query's shape (never a patient value). */
export function auditExport(
  app: AppContext,
  ctx: CallContext,
  record: BatchRecord,
  rows: number,
  query: WorklistQueryParsed,
  filtered: boolean,
): void {
  app.store.audit.append({
    actor: app.actor(ctx).username,
    action: 'batch.worklist-exported',
    subject: String(record.id),
    details: { rows, filtered, ...queryShape(query) },
  });
}
