import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { WorklistQuery } from '../../api/inputs';
import { fail, ok } from '../../api/result';
import type { AppContext } from '../app-context';
import type { ClientSession } from '../client-session';
import type { GroupHandlers } from '../dispatch';
import { auditExport, worklistCsvSlices, worklistFileName } from './worklist-csv';

const EXPORT_DIR_PREFIX = 'export-';
/** An export not read to its end (the window closed) is removed at the next export after this long. */
const ABANDONED_AFTER_MS = 30 * 60 * 1000;

interface PreparedFile {
  dir: string;
  path: string;
  bytes: number;
  owner: ClientSession;
  createdAt: number;
}

/**
 * The streamed worklist export: main writes the CSV slice by slice to a private temp file (never the whole text in
 * memory), and the UI reads it back in chunks of whole lines; the file is removed once read to its end.
 */
export function worklistExportHandlers(app: AppContext): GroupHandlers<'worklistExport'> {
  const prepared = new Map<string, PreparedFile>();
  // Exports a previous run left behind (closed or crashed before they were read to the end) are nobody's now.
  if (existsSync(app.tempDir)) {
    for (const name of readdirSync(app.tempDir)) {
      if (name.startsWith(EXPORT_DIR_PREFIX)) rmSync(join(app.tempDir, name), { recursive: true, force: true });
    }
  }
  const remove = (exportId: string) => {
    const file = prepared.get(exportId);
    prepared.delete(exportId);
    if (file) rmSync(file.dir, { recursive: true, force: true });
  };

  return {
    async startWorklistExport(arg, ctx) {
      const record = app.batchRecord(arg.batchId);
      if (!record) return fail('not-found', `There is no batch ${arg.batchId}.`);
      const now = app.now().getTime();
      for (const [id, file] of prepared) if (now - file.createdAt > ABANDONED_AFTER_MS) remove(id);

      const query = arg.query ?? WorklistQuery.parse({});
      const exportId = randomBytes(16).toString('hex');
      const dir = join(app.tempDir, `${EXPORT_DIR_PREFIX}${exportId}`);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const path = join(dir, 'worklist.csv');
      let fd: number | null = openSync(path, 'w', 0o600);
      let bytes = 0;
      let rows = 0;
      try {
        for await (const slice of worklistCsvSlices(app, record, query)) {
          bytes += writeSync(fd, slice.text);
          rows += slice.rows;
          ctx.emit('exportProgress', { operationId: arg.operationId, done: rows, total: slice.total });
        }
        closeSync(fd);
        fd = null;
      } catch (error) {
        if (fd !== null) closeSync(fd);
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
      prepared.set(exportId, { dir, path, bytes, owner: ctx.session, createdAt: now });
      auditExport(app, ctx, record, rows, query, arg.query !== undefined);
      return ok({ exportId, fileName: worklistFileName(record), mimeType: 'text/csv', rowCount: rows, bytes });
    },

    async readExportChunk(arg, ctx) {
      const file = prepared.get(arg.exportId);
      // Another session's export is as unknown as a finished one: its id tells the caller nothing.
      if (!file || file.owner !== ctx.session) return fail('not-found', 'There is no such export in progress.');
      if (arg.offset > file.bytes) return fail('invalid-argument', `Offset ${arg.offset} is past the export's end.`);
      const chunk = Buffer.alloc(Math.min(arg.maxBytes, file.bytes - arg.offset));
      const fd = openSync(file.path, 'r');
      let read: number;
      try {
        read = readSync(fd, chunk, 0, chunk.length, arg.offset);
      } finally {
        closeSync(fd);
      }
      const last = arg.offset + read >= file.bytes;
      // Whole lines only, so no character (nor line) is split between chunks; a line is far shorter than a chunk.
      const end = last ? read : chunk.lastIndexOf(0x0a, read - 1) + 1;
      if (end === 0) return fail('internal', 'An export line is longer than one chunk.');
      if (last) remove(arg.exportId);
      return ok({ content: chunk.toString('utf8', 0, end), nextOffset: arg.offset + end, done: last });
    },
  };
}
