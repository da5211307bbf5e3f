import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { FEATURE_COLUMNS, ID_COLUMN } from '../schema/columns';
import type { PatientTable } from '../table/patient-table';

/**
 * Synthetic screening batches drawn around a reference table (the training data): each row starts from a random
 * reference row and every feature is jittered, so no real patient row is copied, while zeros (not measured) keep
 * their share. For benchmarks and tests; `shift` injects drift (e.g. { Glucose: 15 }).
 */
export interface SyntheticOptions {
  rows: number;
  seed?: number;
  idPrefix?: string;
  shift?: Partial<Record<(typeof FEATURE_COLUMNS)[number], number>>;
}

/** Mulberry32: small, fast, reproducible. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const JITTER: Record<(typeof FEATURE_COLUMNS)[number], { sd: number; decimals: number; min: number; max: number }> = {
  Pregnancies: { sd: 0.8, decimals: 0, min: 0, max: 17 },
  Glucose: { sd: 6, decimals: 0, min: 40, max: 199 },
  BloodPressure: { sd: 4, decimals: 0, min: 30, max: 122 },
  SkinThickness: { sd: 3, decimals: 0, min: 7, max: 99 },
  Insulin: { sd: 15, decimals: 0, min: 14, max: 846 },
  BMI: { sd: 1.5, decimals: 1, min: 18.2, max: 67.1 },
  DiabetesPedigreeFunction: { sd: 0.05, decimals: 3, min: 0.078, max: 2.42 },
  Age: { sd: 2, decimals: 0, min: 21, max: 81 },
};

export function writeSyntheticBatch(path: string, reference: PatientTable, options: SyntheticOptions): void {
  const rnd = random(options.seed ?? 1);
  const gauss = () => {
    const u = 1 - rnd();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
  };
  const width = String(options.rows).length;
  const prefix = options.idPrefix ?? 'P';
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, `${[ID_COLUMN, ...FEATURE_COLUMNS].join(',')}\n`);
    const block: string[] = [];
    for (let i = 0; i < options.rows; i++) {
      const r = Math.floor(rnd() * reference.rowCount);
      const cells: string[] = [`${prefix}${String(i + 1).padStart(width, '0')}`];
      for (const name of FEATURE_COLUMNS) {
        const base = reference.features[name][r];
        const j = JITTER[name];
        let v: number;
        if (base === 0 && name !== 'Pregnancies') v = 0;
        else {
          v = base + gauss() * j.sd + (options.shift?.[name] ?? 0);
          v = Math.min(j.max, Math.max(name === 'Pregnancies' ? 0 : j.min, v));
        }
        cells.push(v.toFixed(j.decimals));
      }
      block.push(cells.join(','));
      if (block.length === 10_000) {
        writeSync(fd, `${block.join('\n')}\n`);
        block.length = 0;
      }
    }
    if (block.length > 0) writeSync(fd, `${block.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
