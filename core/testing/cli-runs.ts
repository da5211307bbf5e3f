import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { openStore } from '../store/sqlite-store';

const ROOT = resolve(import.meta.dirname, '../..');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a CLI's TypeScript source as one process (node --import tsx), so that a SIGKILL it sends itself ends the
 * process doing the work. NODE_ENV=test unless `env` says otherwise; `as` runs it as another user (from root).
 */
export function runCli(
  script: string,
  args: string[],
  env: Record<string, string> = {},
  as: { uid: number; gid: number } | Record<string, never> = {},
): CliRun {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `core/cli/${script}.ts`, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'test', ...env },
    maxBuffer: 64 * 1024 * 1024,
    ...as,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/**
 * Every output file in `out` is a completed batch's output (same bytes), every completed batch's files exist, and
 * no temp file is left. Returns the number of completed batches.
 */
export function expectFilesAndDatabaseAgree(w: { db: string; out: string }): number {
  const files = readdirSync(w.out);
  const store = openStore(w.db, { auditKeyring: null });
  try {
    const completed = store.batches.list({ status: 'completed' });
    const described = new Set<string>();
    for (const b of completed) {
      const output = b.outputPath as string;
      expect(sha256(output)).toBe(b.outputSha256);
      described.add(output);
      described.add(output.replace(/\.csv$/, '_review.csv'));
    }
    for (const f of files) expect([f, described.has(join(w.out, f))]).toEqual([f, true]);
    expect(files).toHaveLength(described.size);
    return completed.length;
  } finally {
    store.close();
  }
}

/**
 * Runs a CLI's main() in this process, with `env` set for the run: far cheaper than a process where no process
 * boundary is under test. Captures what it writes to stdout (its `out`) and stderr; removes the signal handlers
 * it installed.
 */
export async function runCliInProcess(
  main: (argv: string[], out: (line: string) => void) => number | Promise<number>,
  args: string[],
  env: Record<string, string> = {},
): Promise<CliRun> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const listeners = signals.map((s) => process.listeners(s));
  const stdout: string[] = [];
  let stderr = '';
  const write = process.stderr.write;
  Object.assign(process.env, env);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await main(args, (line) => stdout.push(line));
    return { code, signal: null, stdout: stdout.map((l) => `${l}\n`).join(''), stderr };
  } finally {
    process.stderr.write = write;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    signals.forEach((s, i) => {
      for (const l of process.listeners(s)) if (!listeners[i].includes(l)) process.removeListener(s, l);
    });
  }
}
