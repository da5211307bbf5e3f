import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/store';
import { isProcessAlive } from '../util/process-alive';
import { reviewPathFor } from './output-files';

const TEMP_NAME = /^\.(.+)\.tmp-(\d+)$/;

/** Makes a rename or removal in `dir` durable. */
export function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems cannot fsync a folder; the rename itself has happened.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * Outputs are committed (with their final path and sha256) before they are renamed into place, so a process killed
 * in between leaves a temp file whose batch committed. For each temp file in `dir` left by a process that is gone:
 * rename it into place when a completed batch records that path and those bytes (a review file: when its
 * predictions file is committed), else remove it. Temp files of live processes are left alone; this process's own
 * with `ownToo` (it is exiting).
 */
export function settleTempOutputs(
  dir: string,
  store: Store,
  options: { ownToo?: boolean } = {},
): { finished: string[]; removed: string[] } {
  const finished: string[] = [];
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return { finished, removed };
  }
  const stale = names
    .map((name) => ({ name, match: TEMP_NAME.exec(name) }))
    .filter((t): t is { name: string; match: RegExpExecArray } => {
      if (!t.match) return false;
      const pid = Number(t.match[2]);
      return pid === process.pid ? options.ownToo === true : !isProcessAlive(pid);
    });
  if (stale.length === 0) return { finished, removed };
  const completed = store.batches.list({ status: 'completed' });
  /** Whether a completed batch records `final` as its output, with the bytes now at `path`. */
  const committed = (path: string, final: string) => {
    if (!existsSync(path)) return false;
    const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
    return completed.some((b) => b.outputPath === final && b.outputSha256 === sha);
  };
  const settle = (temp: string, final: string, keep: boolean) => {
    if (keep) {
      renameSync(temp, final);
      finished.push(final);
    } else {
      rmSync(temp, { force: true });
      removed.push(temp);
    }
  };
  // Predictions files first: a review file follows its predictions file.
  const reviews: { temp: string; final: string; pid: string }[] = [];
  const outputsByPid = new Map<string, string>();
  for (const { name, match } of stale) {
    const temp = join(dir, name);
    const final = join(dir, match[1]);
    if (/_review\.csv$/i.test(match[1])) {
      reviews.push({ temp, final, pid: match[2] });
      continue;
    }
    const keep = committed(temp, final);
    settle(temp, final, keep);
    outputsByPid.set(`${match[2]}:${final}`, keep ? 'finished' : 'removed');
  }
  for (const r of reviews) {
    const output = r.final.replace(/_review\.csv$/i, '.csv');
    const state = outputsByPid.get(`${r.pid}:${output}`);
    // No temp of its predictions file left: that one was renamed into place (kept) or never written (removed).
    const keep =
      state === undefined ? reviewPathFor(output) === r.final && committed(output, output) : state === 'finished';
    settle(r.temp, r.final, keep);
  }
  fsyncDir(dir);
  return { finished, removed };
}
