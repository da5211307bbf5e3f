import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ELECTRON_PACKAGE = resolve(import.meta.dirname, '../node_modules/electron');

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

export function electronVersion(): string {
  return JSON.parse(readFileSync(join(ELECTRON_PACKAGE, 'package.json'), 'utf8')).version as string;
}
