import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * An upload folder as a process stopped mid-import leaves it (or one in flight): `name` in `dir`, holding one small
 * CSV, last changed `ageMs` ago.
 */
export function writeUploadFolder(dir: string, name: string, ageMs: number): void {
  mkdirSync(join(dir, name), { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, name, 'day.csv'), 'patient_id,Glucose\nA001,148\n');
  const at = new Date(Date.now() - ageMs);
  utimesSync(join(dir, name), at, at);
}
