import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The committed pointer to the training data, in the manner of a DVC .dvc file: the data itself stays out
 * of git (training/data/ is ignored) and is pulled from a local "remote" and checked against the hash.
 */
const DataManifestSchema = z.object({
  file: z.string().regex(/^[^/\\]+$/, 'a plain file name'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  rows: z.number().int().positive(),
  columns: z.array(z.string()).min(1),
  /** Where data:pull copies from; relative paths are resolved against the repository root. */
  remote: z.string().min(1),
});
type DataManifest = z.infer<typeof DataManifestSchema>;

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MANIFEST_PATH = join(REPO_ROOT, 'training', 'data.manifest.json');
export const DATA_DIR = join(REPO_ROOT, 'training', 'data');

export function readManifest(path = MANIFEST_PATH): DataManifest {
  const parsed = DataManifestSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`data manifest ${path} is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

export function resolveFromRoot(path: string): string {
  return isAbsolute(path) ? path : resolve(REPO_ROOT, path);
}

export function sha256File(path: string): Promise<string> {
  return new Promise((ok, fail) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', fail)
      .on('end', () => ok(hash.digest('hex')));
  });
}

/** Row and column counts of a CSV with a header line (for the manifest check; no parsing of values). */
export function csvShape(path: string): { rows: number; columns: string[] } {
  const text = readFileSync(path, 'utf8');
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  return { rows: Math.max(0, lines.length - 1), columns: (lines[0] ?? '').split(',').map((c) => c.trim()) };
}
