/**
 * Writes resources/sample_daily_batch.csv: a synthetic daily batch drawn around the training distribution
 * (core/screening/synthetic-batch.ts: each row starts from a random Pima row and every feature is jittered, zeros
 * keep their share), so a new user can try the app at once. No real patient row is copied.
 *
 *   npx tsx scripts/make-sample-batch.ts [--rows 500] [--seed 2026] [--out resources/sample_daily_batch.csv]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeSyntheticBatch } from '../core/screening/synthetic-batch';
import { loadPimaTable } from '../core/testing/pima';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '500' },
    seed: { type: 'string', default: '2026' },
    out: { type: 'string', default: resolve(import.meta.dirname, '../resources/sample_daily_batch.csv') },
  },
});

const rows = Number(values.rows);
const seed = Number(values.seed);
if (!Number.isInteger(rows) || rows < 1) throw new Error(`--rows must be a positive integer, got ${values.rows}`);
if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);

writeSyntheticBatch(values.out, await loadPimaTable(), { rows, seed, idPrefix: 'P' });
console.log(`wrote ${rows} synthetic patients to ${values.out} (seed ${seed})`);
