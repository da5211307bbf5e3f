/**
 * npm run package [-- electron-builder options]: builds the renderer and the Electron bundles, then the installers
 * (electron-builder.yml) into release/. electron-builder rebuilds better-sqlite3 inside node_modules for Electron's
 * ABI (npmRebuild); the Node build is put back afterwards, so that `npm test` works after packaging as before.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const NODE_BUILD = join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');

function run(command: string, args: string[]): void {
  const r = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${r.status})`);
}

function main(): void {
  run('npm', ['run', 'build']);
  const keep = mkdtempSync(join(tmpdir(), 'glucoscreen-node-abi-'));
  const saved = existsSync(NODE_BUILD) ? join(keep, 'better_sqlite3.node') : null;
  if (saved) copyFileSync(NODE_BUILD, saved);
  try {
    run(join(ROOT, 'node_modules/.bin/electron-builder'), [
      '--config',
      'electron-builder.yml',
      ...process.argv.slice(2),
    ]);
  } finally {
    if (saved) {
      copyFileSync(saved, NODE_BUILD);
      console.log('node_modules/better-sqlite3: the Node build is back (the Electron build is in the package)');
    }
    rmSync(keep, { recursive: true, force: true });
  }
}

main();
