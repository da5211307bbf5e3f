import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const ELECTRON_PACKAGE = join(ROOT, 'node_modules/electron');
/** better-sqlite3 built for Electron's ABI, apart from node_modules (which keeps the Node build for tests). */
export const NATIVE_MODULES_DIR = join(ROOT, '.cache/electron-native/node_modules');

/**
 * The Electron executable, if one is installed, else null. Reads the package's path.txt the way its index.js
 * does, but never `require('electron')`: that would try to download the binary.
 */
export function findElectronBinary(): string | null {
  const pathFile = join(ELECTRON_PACKAGE, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(ELECTRON_PACKAGE, 'dist');
  const candidate = join(dist, relative || 'electron');
  return relative && existsSync(candidate) ? candidate : null;
}

function electronVersion(): string {
  return JSON.parse(readFileSync(join(ELECTRON_PACKAGE, 'package.json'), 'utf8')).version as string;
}

/** Rebuilds better-sqlite3 for Electron's ABI into NATIVE_MODULES_DIR, once per Electron version. */
export function prepareElectronNativeModules(): void {
  const version = electronVersion();
  const marker = join(NATIVE_MODULES_DIR, '.electron-version');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === version) return;
  console.log(`Building better-sqlite3 for Electron ${version} in ${NATIVE_MODULES_DIR} …`);
  mkdirSync(NATIVE_MODULES_DIR, { recursive: true });
  cpSync(join(ROOT, 'node_modules/better-sqlite3'), join(NATIVE_MODULES_DIR, 'better-sqlite3'), { recursive: true });
  const rebuild = spawnSync(
    join(ROOT, 'node_modules/.bin/electron-rebuild'),
    ['--version', version, '--module-dir', resolve(NATIVE_MODULES_DIR, '..'), '--only', 'better-sqlite3', '--force'],
    { stdio: 'inherit' },
  );
  if (rebuild.status !== 0) throw new Error('electron-rebuild failed: better-sqlite3 could not be built for Electron');
  writeFileSync(marker, version);
}
