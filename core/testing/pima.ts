import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The Pima file in the local data remote (../shared/data), or the pulled copy in training/data. */
export function pimaPath(): string {
  const candidates = [
    resolve(import.meta.dirname, '../../training/data/diabetes.csv'),
    resolve(import.meta.dirname, '../../../shared/data/diabetes.csv'),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`the Pima data file is not available; looked in ${candidates.join(', ')}`);
  return found;
}
