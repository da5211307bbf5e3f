import { chmodSync, copyFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
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
  // Patient data: readable by the owner only (a copy would otherwise keep the input's mode).
  mkdirSync(rejectedDir, { recursive: true, mode: 0o700 });
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const base = `${stamp}_${basename(inputPath)}`;
  const rejectedCopy = join(rejectedDir, base);
  const errorsPath = join(rejectedDir, `${base}.errors.json`);
  const tmpCopy = join(rejectedDir, `.${base}.tmp-${process.pid}`);
  copyFileSync(inputPath, tmpCopy);
  chmodSync(tmpCopy, 0o600);
  renameSync(tmpCopy, rejectedCopy);
  const body = {
    file: basename(inputPath),
    rejectedAt: now.toISOString(),
    problems: [...problems, ...describeReport(report).filter((line) => !problems.includes(line))],
    report,
  };
  const tmpErrors = `${errorsPath}.tmp-${process.pid}`;
  writeFileSync(tmpErrors, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmpErrors, errorsPath);
  return { rejectedCopy, errorsPath };
}
