import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultOutputPath } from '../screening/output-files';

/** The screen command's arguments, and where --output writes. */

export const USAGE = `usage: npm run screen -- --input FILE.csv [--output OUT.csv|DIR/] [--config CONFIG.json] [--model-dir DIR] [--db DB] [--force]
       npm run screen -- --watch DIR [--once] [--config ...]
       npm run screen -- --verify BATCH_ID [--config ...]`;

export class UsageError extends Error {}

export function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        input: { type: 'string' },
        output: { type: 'string' },
        config: { type: 'string' },
        'model-dir': { type: 'string' },
        db: { type: 'string' },
        force: { type: 'boolean', default: false },
        watch: { type: 'string' },
        once: { type: 'boolean', default: false },
        verify: { type: 'string' },
        progress: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * Where --output writes: into an existing directory (named as without --output), or at a file path whose folder
 * exists and is writable. Checked before any work starts, so that a whole batch is not spent on a rename that fails.
 * Throws a UsageError with one line saying why it cannot be written.
 */
export function resolveOutputPath(output: string, inputPath: string): string {
  const target = resolve(output);
  // ENOTDIR (a file on the way) counts as absent here: the parent's check below names it.
  const stat = (path: string) => {
    try {
      return statSync(path);
    } catch {
      return undefined;
    }
  };
  const info = stat(target);
  const wantsDir = output.endsWith('/') || output.endsWith(sep);
  const writable = (dir: string) => {
    try {
      accessSync(dir, constants.W_OK | constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (info?.isDirectory()) {
    if (!writable(target)) throw new UsageError(`--output ${output}: the directory is not writable`);
    return defaultOutputPath(target, inputPath);
  }
  if (wantsDir) {
    throw new UsageError(
      info ? `--output ${output}: is a file, not a directory` : `--output ${output}: no such directory`,
    );
  }
  if (info && !info.isFile()) throw new UsageError(`--output ${output}: is not a regular file`);
  const parent = dirname(target);
  const parentInfo = stat(parent);
  if (!parentInfo) throw new UsageError(`--output ${output}: the folder ${parent} does not exist`);
  if (!parentInfo.isDirectory()) throw new UsageError(`--output ${output}: ${parent} is a file, not a folder`);
  if (!writable(parent)) throw new UsageError(`--output ${output}: the folder ${parent} is not writable`);
  if (info && !writable(target)) throw new UsageError(`--output ${output}: the file is not writable`);
  return target;
}
