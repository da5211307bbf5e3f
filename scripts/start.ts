/**
 * `npm start`: builds the renderer and the Electron bundles, then
 *  - launches Electron when a binary is installed (native modules prepared for Electron's ABI in a separate
 *    folder, so node_modules keeps the Node build the tests need), or
 *  - otherwise (as on machines where the Electron binary cannot be downloaded) serves the very same app, same
 *    renderer, same contract, same core, on a local host at 127.0.0.1 and prints its address.
 * Either way: the committed production model and a SQLite database in the user-data folder.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { composeApp } from '../core/app/compose-app';
import { adoptAuditKeyFile } from '../core/audit-key/keyring';
import { startHttpHost } from '../core/host/http-host';
import { buildElectron, ELECTRON_DIST } from '../electron/build';
import { findElectronBinary, NATIVE_MODULES_DIR, prepareElectronNativeModules } from '../electron/electron-binary';

const ROOT = resolve(import.meta.dirname, '..');
const MODEL_DIR = process.env.GLUCOSCREEN_MODEL_DIR ?? join(ROOT, 'models/production');
/** The training CSV for the EDA view: the pulled copy (npm run data:pull), else the local data remote. */
const TRAINING_DATA =
  [
    process.env.GLUCOSCREEN_TRAINING_DATA,
    join(ROOT, 'training/data/diabetes.csv'),
    resolve(ROOT, '../shared/data/diabetes.csv'),
  ].find((p): p is string => typeof p === 'string' && existsSync(p)) ?? null;

/** Electron's app.getPath('userData') on each platform, for the app name "glucoscreen". */
function userDataDir(): string {
  if (process.env.GLUCOSCREEN_DATA_DIR) return process.env.GLUCOSCREEN_DATA_DIR;
  if (process.platform === 'win32')
    return join(process.env.APPDATA ?? join(homedir(), 'AppData/Roaming'), 'glucoscreen');
  if (process.platform === 'darwin') return join(homedir(), 'Library/Application Support/glucoscreen');
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'glucoscreen');
}

async function main(): Promise<void> {
  console.log('Building the renderer and the Electron bundles …');
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
  await buildElectron();

  if (!existsSync(join(MODEL_DIR, 'metadata.json'))) {
    console.warn(
      `Warning: no production model in ${MODEL_DIR}; the app will start but cannot score until one is installed.`,
    );
  }

  const electron = findElectronBinary();
  if (electron) {
    prepareElectronNativeModules();
    const child = spawn(electron, [join(ELECTRON_DIST, 'main.cjs')], {
      stdio: 'inherit',
      env: {
        ...process.env,
        GLUCOSCREEN_NATIVE_MODULES: NATIVE_MODULES_DIR,
        GLUCOSCREEN_MODEL_DIR: MODEL_DIR,
        ...(TRAINING_DATA ? { GLUCOSCREEN_TRAINING_DATA: TRAINING_DATA } : {}),
      },
    });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }

  const dataDir = userDataDir();
  // The same 0600 key file as the command-line tools, so the chain this host writes is keyed too.
  adoptAuditKeyFile(undefined);
  const app = composeApp({ dataDir, embeddedModelDir: MODEL_DIR, trainingDataPath: TRAINING_DATA });
  const host = await startHttpHost({
    app,
    port: process.env.GLUCOSCREEN_PORT ? Number(process.env.GLUCOSCREEN_PORT) : 0,
  });
  console.log(
    [
      '',
      'No Electron binary is installed here (node_modules/electron has no dist/; it cannot be downloaded on this',
      'machine), so Glucoscreen runs in the local host instead: the same renderer, contract and core, over HTTP',
      'on 127.0.0.1 with a per-run token.',
      '',
      `  Open:      ${host.openUrl}`,
      `  Database:  ${join(dataDir, 'glucoscreen.db')}`,
      `  Models:    ${app.modelsRoot} (production installed from ${MODEL_DIR})`,
      '',
      'Press Ctrl+C to stop.',
    ].join('\n'),
  );
  const stop = async () => {
    await host.close();
    app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

await main();
