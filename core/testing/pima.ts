import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The Pima file for tests and benchmarks: GLUCOSCREEN_PIMA when set, else the pulled copy in training/data, else the
 * local data remote beside the repository (../shared/data), wherever the checkout lives.
 */
export function pimaPath(): string {
  if (process.env.GLUCOSCREEN_PIMA) return process.env.GLUCOSCREEN_PIMA;
  const candidates = [
    resolve(import.meta.dirname, '../../training/data/diabetes.csv'),
    resolve(import.meta.dirname, '../../../shared/data/diabetes.csv'),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`the Pima data file is not available; looked in ${candidates.join(', ')}`);
  return found;
}
