import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Each upload's folder is named this prefix and 16 hex digits (before the prefix, the hex digits alone). */
const UPLOAD_PREFIX = 'upload-';
const UPLOAD_FOLDER = new RegExp(`^(${UPLOAD_PREFIX})?[0-9a-f]{16}$`);

/**
 * Older than this, an upload's folder is what a process stopped mid-import left (killed, a power cut): an import or a
 * scoring request takes seconds to minutes.
 */
export const STALE_UPLOAD_MS = 60 * 60 * 1000;

/**
 * An upload under its own name (the batch records the file name) in a fresh private folder of `tempDir`, removed
 * when `run` is done: the pipeline reads files, while uploads arrive as text.
 */
export async function withTempFile<T>(
  tempDir: string,
  fileName: string,
  content: string,
  run: (path: string) => Promise<T>,
): Promise<T> {
  const dir = join(tempDir, `${UPLOAD_PREFIX}${randomBytes(8).toString('hex')}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, safeFileName(fileName));
  await writeFile(path, content, { encoding: 'utf8', mode: 0o600 });
  try {
    return await run(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Removes the upload folders in `tempDir` older than STALE_UPLOAD_MS: the patient rows in one a stopped process left
 * would otherwise outlive the retention purge. A younger one may be another process's upload in flight, and anything
 * else in the folder is not an upload. Returns how many were removed.
 */
export function removeStaleUploads(tempDir: string, nowMs: number): number {
  let names: string[];
  try {
    names = readdirSync(tempDir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!UPLOAD_FOLDER.test(name)) continue;
    const path = join(tempDir, name);
    try {
      if (statSync(path).mtimeMs > nowMs - STALE_UPLOAD_MS) continue;
      rmSync(path, { recursive: true, force: true });
      removed++;
    } catch {
      // Gone meanwhile: nothing to remove.
    }
  }
  return removed;
}

/** Only the base name, only harmless characters: the name came from the renderer. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^A-Za-z0-9._ -]+/g, '_').replace(/^\.+/, '');
  return cleaned.length > 0 ? cleaned.slice(0, 200) : 'upload.csv';
}
