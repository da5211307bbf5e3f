import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EDA_SNAPSHOT_FILE, type EdaSnapshot } from '../../eda/eda-snapshot';
import { sha256Hex } from '../../registry/bundle';

/**
 * The production bundle's EDA snapshot of its training data, for an installation without the training file: only
 * when metadata.json records it and the file's sha256 matches (a bundle's files are never trusted unverified).
 * Null when the bundle has none; throws when it is there but does not match.
 */
export function readProductionEdaSnapshot(modelsRoot: string): { version: string; snapshot: EdaSnapshot } | null {
  const dir = join(modelsRoot, 'production');
  const path = join(dir, EDA_SNAPSHOT_FILE);
  if (!existsSync(path) || !existsSync(join(dir, 'metadata.json'))) return null;
  const metadata = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')) as {
    version?: string;
    eda_snapshot?: { sha256?: string };
  };
  const expected = metadata.eda_snapshot?.sha256;
  if (!expected) return null;
  const bytes = readFileSync(path);
  if (sha256Hex(bytes) !== expected) {
    throw new Error(`${EDA_SNAPSHOT_FILE} of the production model does not match the sha256 in its metadata.json`);
  }
  return { version: metadata.version ?? 'unknown', snapshot: JSON.parse(bytes.toString('utf8')) as EdaSnapshot };
}
