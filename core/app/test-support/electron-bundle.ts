import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildElectron } from '../../../electron/build';

/**
 * A fresh build of the Electron bundles (electron/build.ts) in a folder of its own under dist/, so that test files
 * running side by side never read a bundle another is rewriting. Under the checkout, as dist/electron is: the bundles
 * resolve their external native modules from its node_modules.
 */
export async function buildElectronForTest(): Promise<{ dir: string; remove: () => void }> {
  const dist = resolve(import.meta.dirname, '../../../dist');
  mkdirSync(dist, { recursive: true });
  const dir = mkdtempSync(join(dist, 'electron-test-'));
  await buildElectron(dir);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
