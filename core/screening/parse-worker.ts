import { parentPort } from 'node:worker_threads';
import { CsvIngest } from '../ingest/csv-ingest';
import { FEATURE_COLUMNS } from '../schema/columns';
import type { FromParser, ToParser } from './parse-host';

/** The parse thread (see parse-host.ts): at most MAX_AHEAD chunks ahead of the scoring thread. */
const port = parentPort;
if (!port) throw new Error('parse-worker must run as a worker thread');
const MAX_AHEAD = 2;
let ahead = 0;
let resume: (() => void) | null = null;
/** The file being read; a new 'ingest' or a 'cancel' ends the previous run at its next chunk. */
let current = 0;
const send = (m: FromParser, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

port.on('message', (m: ToParser) => {
  if (m.type === 'hello') send({ type: 'ready' });
  else if (m.type === 'ack') {
    ahead--;
    resume?.();
    resume = null;
  } else if (m.type === 'cancel') {
    current++;
    resume?.();
    resume = null;
  } else if (m.type === 'ingest') {
    const id = ++current;
    const run = m.run;
    resume?.();
    resume = null;
    ahead = 0;
    read(id, run, m.path, m.options).catch((error) => {
      if (id === current) send({ type: 'error', run, message: (error as Error).message });
    });
  }
});

async function read(
  id: number,
  run: number,
  path: string,
  options: ConstructorParameters<typeof CsvIngest>[1],
): Promise<void> {
  const ingest = new CsvIngest(path, options);
  for await (const table of ingest.chunks()) {
    if (id !== current) return; // cancelled: leaving the loop closes the file
    const n = table.rowCount;
    const values = new Float64Array(n * FEATURE_COLUMNS.length);
    FEATURE_COLUMNS.forEach((name, f) => {
      values.set(table.features[name].subarray(0, n), f * n);
    });
    const lineNumbers = Uint32Array.from(table.lineNumbers.subarray(0, n));
    ahead++;
    send({ type: 'chunk', run, rowCount: n, ids: table.ids.slice(0, n), lineNumbers, values }, [
      values.buffer,
      lineNumbers.buffer,
    ]);
    if (ahead >= MAX_AHEAD) await new Promise<void>((r) => (resume = r));
    if (id !== current) return;
  }
  if (id === current) send({ type: 'done', run, report: ingest.report, sha256: ingest.sha256 });
}
