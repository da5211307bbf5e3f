import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

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
  const dir = join(tempDir, randomBytes(8).toString('hex'));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, safeFileName(fileName));
  await writeFile(path, content, { encoding: 'utf8', mode: 0o600 });
  try {
    return await run(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Only the base name, only harmless characters: the name came from the renderer. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^A-Za-z0-9._ -]+/g, '_').replace(/^\.+/, '');
  return cleaned.length > 0 ? cleaned.slice(0, 200) : 'upload.csv';
}
