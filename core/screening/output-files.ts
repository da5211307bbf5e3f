import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Where a batch's output files go, and the hidden temporary files they are written to first. */

export function defaultOutputPath(outputDir: string, inputPath: string): string {
  const name = basename(inputPath).replace(/\.csv$/i, '');
  return join(outputDir, `predictions_${name}.csv`);
}

/** predictions_x.csv -> predictions_x_review.csv: the borderline patients for manual review. */
export function reviewPathFor(outputPath: string): string {
  return outputPath.replace(/(\.csv)?$/i, '_review.csv');
}

const TEMP_MARK = '.tmp-';

export function tempPathFor(outputPath: string): string {
  return join(dirname(outputPath), `.${basename(outputPath)}${TEMP_MARK}${process.pid}`);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes this process's own temp outputs (on SIGINT/SIGTERM, before exiting). */
export function removeOwnTempOutputs(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith('.') && name.endsWith(`${TEMP_MARK}${process.pid}`)) rmSync(join(dir, name), { force: true });
  }
}

/** Removes temp outputs left by a run that was killed (their process is gone). */
export function removeStaleTempOutputs(dir: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const at = name.lastIndexOf(TEMP_MARK);
    if (!name.startsWith('.') || at < 0) continue;
    const pid = Number(name.slice(at + TEMP_MARK.length));
    if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) {
      rmSync(join(dir, name), { force: true });
      removed.push(name);
    }
  }
  return removed;
}
