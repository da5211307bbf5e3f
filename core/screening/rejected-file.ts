import { copyFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describeReport, type ValidationReport } from '../ingest/validation-report';

/**
 * A rejected file is kept for the person who fixes it: a copy in rejected/ and, beside it, an errors JSON that
 * names every problem (file-level and per row). Both are written to temp names and renamed, so a half-written
 * report never appears.
 */
export function writeRejectedFile(
  rejectedDir: string,
  inputPath: string,
  report: ValidationReport,
  problems: string[],
  now: Date = new Date(),
): { rejectedCopy: string; errorsPath: string } {
  mkdirSync(rejectedDir, { recursive: true });
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const base = `${stamp}_${basename(inputPath)}`;
  const rejectedCopy = join(rejectedDir, base);
  const errorsPath = join(rejectedDir, `${base}.errors.json`);
  const tmpCopy = join(rejectedDir, `.${base}.tmp-${process.pid}`);
  copyFileSync(inputPath, tmpCopy);
  renameSync(tmpCopy, rejectedCopy);
  const body = {
    file: basename(inputPath),
    rejectedAt: now.toISOString(),
    problems: [...problems, ...describeReport(report).filter((line) => !problems.includes(line))],
    report,
  };
  const tmpErrors = `${errorsPath}.tmp-${process.pid}`;
  writeFileSync(tmpErrors, `${JSON.stringify(body, null, 2)}\n`);
  renameSync(tmpErrors, errorsPath);
  return { rejectedCopy, errorsPath };
}
