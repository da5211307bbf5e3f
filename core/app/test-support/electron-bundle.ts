import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../..');

/**
 * A fresh build of the Electron bundles (electron/build.ts, run as its own process: core never imports electron/) in
 * a folder of its own under dist/, so that test files running side by side never read a bundle another is rewriting.
 * Under the checkout, as dist/electron is: the bundles resolve their external native modules from its node_modules.
 */
export async function buildElectronForTest(): Promise<{ dir: string; remove: () => void }> {
  const dist = join(ROOT, 'dist');
  mkdirSync(dist, { recursive: true });
  const dir = mkdtempSync(join(dist, 'electron-test-'));
  const built = spawnSync(process.execPath, ['--import', 'tsx', 'electron/build.ts', '--out', dir], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (built.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`electron/build.ts --out ${dir} exited ${built.status}: ${built.stderr}`);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
