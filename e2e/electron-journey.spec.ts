import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, _electron as electron, type Page, test } from '@playwright/test';
import { testModelDir } from '../core/app/test-support/test-app';
import { buildElectron, ELECTRON_DIST } from '../electron/build';
import { findElectronBinary, NATIVE_MODULES_DIR, prepareElectronNativeModules } from '../electron/electron-binary';
import {
  clinicianRefusedAdmin,
  firstRun,
  history,
  importSample,
  lockAndUnlock,
  malformedImport,
  openPatient,
  quickScore,
} from './support/journey';

/**
 * The same journey in the real Electron app (IPC bridge, app:// protocol, core in a utility process). Skipped when
 * no Electron binary is installed; the browser journey then covers the renderer and core. axe runs in the browser
 * journey only (its runner needs a browser context Electron does not offer).
 *
 * With GLUCOSCREEN_PACKAGED_APP (npm run package:smoke) it drives that packaged executable instead, as shipped: its
 * fuses turn --inspect off, which Playwright's Electron launcher needs, so it is attached to over Chromium's
 * DevTools protocol, and it loads its own asar, native modules and embedded production model (a packaged app
 * ignores the GLUCOSCREEN_* overrides; electron/main/dev-overrides.ts).
 */
const packaged = process.env.GLUCOSCREEN_PACKAGED_APP || null;
const binary = findElectronBinary();
test.describe.configure({ mode: 'serial' });
test.skip(!binary && !packaged, 'no Electron binary installed (node_modules/electron/dist is missing)');

let close: () => Promise<void> = async () => undefined;
let page: Page;
let scratch: string;

/** Starts the packaged app with a DevTools port and returns its window. */
async function launchPackaged(executable: string, env: NodeJS.ProcessEnv): Promise<Page> {
  // The Linux runner has no setuid chrome-sandbox in an unpacked build.
  const args = ['--remote-debugging-port=0', ...(process.platform === 'linux' ? ['--no-sandbox'] : [])];
  const child = spawn(executable, args, { env, stdio: ['ignore', 'inherit', 'pipe'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stderr.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      process.stderr.write(chunk);
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`${executable} exited (${code}) before it listened:\n${seen}`)));
  });
  const browser = await chromium.connectOverCDP(endpoint);
  close = async () => {
    await browser.close().catch(() => undefined);
    child.kill();
  };
  for (;;) {
    const window = browser.contexts().flatMap((c) => c.pages())[0];
    if (window) return window;
    await new Promise((done) => setTimeout(done, 200));
  }
}

test.beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'glucoscreen-electron-'));
  const env = {
    ...process.env,
    GLUCOSCREEN_DATA_DIR: join(scratch, 'data'),
    GLUCOSCREEN_MODEL_DIR: (await testModelDir(scratch)).dir,
  };
  if (packaged) {
    // A packaged app ignores the GLUCOSCREEN_* overrides: its user-data folder is made a scratch one through the
    // platform's own variables, and it scores with its embedded production model.
    const home = join(scratch, 'home');
    page = await launchPackaged(packaged, {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      APPDATA: join(home, 'AppData/Roaming'),
    });
    return;
  }
  await buildElectron();
  prepareElectronNativeModules();
  const app = await electron.launch({
    executablePath: binary as string,
    args: [join(ELECTRON_DIST, 'main.cjs')],
    env: { ...env, GLUCOSCREEN_NATIVE_MODULES: NATIVE_MODULES_DIR },
  });
  close = () => app.close();
  page = await app.firstWindow();
});

test.afterAll(async () => {
  await close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('first run: admin, clinician, sign in', async () => {
  await firstRun(page, 'electron', false);
});

test('import the sample daily CSV', async () => {
  await importSample(page, 'electron', false);
});

test('open a patient', async () => {
  await openPatient(page, 'electron', false);
});

test('quick score', async () => {
  await quickScore(page, 'electron', false);
});

test('malformed CSV', async () => {
  await malformedImport(page, 'electron', false);
});

test('batch history', async () => {
  await history(page, 'electron', false);
});

test('a clinician cannot reach an admin action through the bridge', async () => {
  await clinicianRefusedAdmin(page);
});

test('lock and unlock', async () => {
  await lockAndUnlock(page, 'electron', false);
});
