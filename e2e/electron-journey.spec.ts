import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ElectronApplication, _electron as electron, type Page, test } from '@playwright/test';
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
 */
const binary = findElectronBinary();
test.describe.configure({ mode: 'serial' });
test.skip(!binary, 'no Electron binary installed (node_modules/electron/dist is missing)');

let app: ElectronApplication;
let page: Page;
let scratch: string;

test.beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'glucoscreen-electron-'));
  await buildElectron();
  prepareElectronNativeModules();
  app = await electron.launch({
    executablePath: binary as string,
    args: [join(ELECTRON_DIST, 'main.cjs')],
    env: {
      ...process.env,
      GLUCOSCREEN_DATA_DIR: join(scratch, 'data'),
      GLUCOSCREEN_MODEL_DIR: (await testModelDir(scratch)).dir,
      GLUCOSCREEN_NATIVE_MODULES: NATIVE_MODULES_DIR,
    },
  });
  page = await app.firstWindow();
});

test.afterAll(async () => {
  await app?.close();
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
