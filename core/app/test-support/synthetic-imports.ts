// Tests only: synthetic daily batches drawn from the Pima file, and their import through the contract.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestCsvFile } from '../../ingest/csv-ingest';
import { writeSyntheticBatch } from '../../screening/synthetic-batch';
import { pimaPath } from '../../testing/pima';
import type { GlucoscreenApp } from '../app';
import type { ClientSession } from '../client-session';
import { contractCaller, value } from './app-calls';

/** One CSV text per seed, `rows` patients each, written in `dir` as batch_<seed>.csv. */
export async function syntheticBatchTexts(dir: string, seeds: number[], rows: number): Promise<string[]> {
  const pima = await ingestCsvFile(pimaPath(), { mode: 'training' });
  if (!pima.ok) throw new Error('Pima did not load');
  return seeds.map((seed) => {
    const path = join(dir, `batch_${seed}.csv`);
    writeSyntheticBatch(path, pima.table, { rows, seed });
    return readFileSync(path, 'utf8');
  });
}

/** Imports the `index`th of `texts` as batch_<index>.csv; a failed import fails the test. */
export function batchImporter(app: () => GlucoscreenApp, session: () => ClientSession, texts: () => string[]) {
  const call = contractCaller(app);
  return async (index: number) =>
    value(
      await call(session(), 'importBatch', {
        operationId: `op-${index}`,
        fileName: `batch_${index}.csv`,
        content: texts()[index],
      }),
    ).batch;
}
