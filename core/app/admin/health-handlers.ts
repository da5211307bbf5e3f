import { ok } from '../../api/result';
import type { AppContext } from '../app-context';
import type { GroupHandlers } from '../dispatch';

/** The system health view: how each batch ran. */
export function healthHandlers(app: AppContext): GroupHandlers<'health'> {
  return {
    async systemHealth(arg) {
      return ok(
        app.store.batches.list({ limit: arg.limit }).map((b) => ({
          batchId: String(b.id),
          fileName: b.fileName,
          source: b.source,
          status: b.status,
          startedAt: b.startedAt,
          rows: b.rowsRead,
          rejectedRows: b.rowsRejected,
          rejectedByRule: b.rejectedByRule,
          durationMs: b.durationMs,
          rowsPerSecond: b.rowsPerSecond,
          retryAttempts: b.retryAttempts,
          peakRssMb: megabytes(b.peakRssBytes),
          batchMemoryMb: megabytes(b.batchMemoryBytes),
          cpuUserMs: b.cpuUserMs,
          cpuSystemMs: b.cpuSystemMs,
        })),
      );
    },
  };
}

function megabytes(bytes: number | null): number | null {
  return bytes === null ? null : bytes / (1024 * 1024);
}
