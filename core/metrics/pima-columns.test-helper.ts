import { readFileSync } from 'node:fs';
import { pimaPath } from '../testing/pima';

/** Test-only: three Pima columns read straight from the shared file, independent of core/ingest. */
export function loadPimaColumns(path = pimaPath()): {
  glucose: number[];
  bmi: number[];
  outcome: number[];
} {
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const header = lines[0].split(',');
  const g = header.indexOf('Glucose');
  const b = header.indexOf('BMI');
  const o = header.indexOf('Outcome');
  const rows = lines.slice(1).map((l) => l.split(',').map(Number));
  return { glucose: rows.map((r) => r[g]), bmi: rows.map((r) => r[b]), outcome: rows.map((r) => r[o]) };
}
