/**
 * npm run package:smoke: launches the packaged app from release/ (npm run package) headless under Playwright and
 * runs the Electron journey against it (e2e/electron-journey.spec.ts with GLUCOSCREEN_PACKAGED_APP): the first
 * admin, the sample batch imported, the worklist checked, and the rest. On Linux without a display, run it under
 * xvfb-run. Where no Electron binary can be had there is no packaged app to launch: it says so and exits 0,
 * having checked nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findElectronBinary } from '../electron/electron-binary';

const ROOT = resolve(import.meta.dirname, '..');
const RELEASE = join(ROOT, 'release');

/** The packaged executable electron-builder left in release/ for this platform, if any. */
export function packagedExecutable(release: string, platform: NodeJS.Platform): string | null {
  if (!existsSync(release)) return null;
  const dirs = readdirSync(release);
  const candidates =
    platform === 'win32'
      ? dirs.filter((d) => d.startsWith('win')).map((d) => join(release, d, 'Glucoscreen.exe'))
      : platform === 'darwin'
        ? dirs
            .filter((d) => d.startsWith('mac'))
            .map((d) => join(release, d, 'Glucoscreen.app/Contents/MacOS/Glucoscreen'))
        : dirs
            .filter((d) => d.startsWith('linux') && d.endsWith('unpacked'))
            .map((d) => join(release, d, 'glucoscreen'));
  return candidates.find((p) => existsSync(p)) ?? null;
}

function main(): number {
  const executable = packagedExecutable(RELEASE, process.platform);
  if (!executable) {
    if (!findElectronBinary()) {
      console.log(
        'package:smoke: no Electron binary on this machine (node_modules/electron/dist is absent and cannot be ' +
          'downloaded here), so no app can be packaged or launched: nothing was checked. Run it on a release ' +
          'machine after `npm run package`.',
      );
      return 0;
    }
    console.error('package:smoke: no packaged app in release/; run `npm run package` first.');
    return 1;
  }
  console.log(`package:smoke: the Electron journey against ${executable}`);
  const r = spawnSync(
    join(ROOT, 'node_modules/.bin/playwright'),
    ['test', 'e2e/electron-journey.spec.ts', '--reporter=list'],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, GLUCOSCREEN_PACKAGED_APP: executable },
      shell: process.platform === 'win32',
    },
  );
  return r.status ?? 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main();
