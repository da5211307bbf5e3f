/**
 * Electron main, the composition root: the app:// protocol, a hardened session and window, the core in a
 * utilityProcess, and the IPC handlers derived from the contract. Main itself does no heavy work.
 */
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, protocol, session, utilityProcess } from 'electron';
import { EVENT_CHANNEL } from '../../core/api/screening-api';
import { serveAppProtocol } from './app-protocol';
import { auditKeyEnv } from './audit-key';
import { createCoreClient } from './core-client';
import type { FromCore, ToCore } from './core-messages';
import { coreProcessEnv, launchSettings } from './dev-overrides';
import { registerIpcHandlers } from './ipc-handlers';
import { APP_ENTRY, APP_SCHEME_PRIVILEGES, hardenSession, hardenWebContents, webPreferences } from './window-security';

// Bundled to dist/electron/main.cjs; the renderer, preload and core process sit beside it.
const DIST = __dirname;
const RENDERER_DIR = join(DIST, '../renderer');
/** The GLUCOSCREEN_* overrides count only when not packaged (dev-overrides.ts). */
const SETTINGS = launchSettings(process.env, {
  isPackaged: app.isPackaged,
  userDataDir: app.getPath('userData'),
  embeddedModelDir: app.isPackaged
    ? join(process.resourcesPath, 'models/production')
    : join(DIST, '../../models/production'),
});

protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();

// One instance per user: a second one would open the same database and key, and race the first one's batches.
const isPrimaryInstance = app.requestSingleInstanceLock();
if (!isPrimaryInstance) app.quit();
app.on('second-instance', () => {
  const [window] = BrowserWindow.getAllWindows();
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.focus();
});

const windows = new Set<number>();

function startCore() {
  const child = utilityProcess.fork(join(DIST, 'core-process.cjs'), [], {
    serviceName: 'glucoscreen-core',
    stdio: 'inherit',
    env: coreProcessEnv(process.env, app.isPackaged, SETTINGS, auditKeyEnv(app.getPath('userData'))),
  });
  const listeners: ((message: FromCore) => void)[] = [];
  child.on('message', (message: FromCore) => {
    for (const listener of listeners) listener(message);
  });
  child.on('exit', (code) => {
    for (const listener of listeners) listener({ type: 'fatal', message: `The app core stopped (exit code ${code}).` });
  });
  return createCoreClient({
    postMessage: (message: ToCore) => child.postMessage(message),
    onMessage: (listener) => listeners.push(listener),
  });
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 1000,
    minHeight: 700,
    title: 'Glucoscreen',
    show: false,
    backgroundColor: '#f4f6f8',
    webPreferences: webPreferences(join(DIST, 'preload.cjs'), SETTINGS.devTools),
  });
  windows.add(window.webContents.id);
  hardenWebContents(window.webContents);
  window.once('ready-to-show', () => window.show());
  const id = window.webContents.id;
  window.on('closed', () => {
    windows.delete(id);
    core.dropClient(id);
  });
  void window.loadURL(APP_ENTRY);
  return window;
}

let core: ReturnType<typeof startCore>;

app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

void app.whenReady().then(() => {
  if (!isPrimaryInstance) return;
  hardenSession(session.defaultSession);
  serveAppProtocol(protocol, RENDERER_DIR);
  core = startCore();
  core.onEvent((clientId, message) => {
    const target = BrowserWindow.getAllWindows().find((w) => w.webContents.id === clientId);
    target?.webContents.send(EVENT_CHANNEL, message);
  });
  registerIpcHandlers({
    ipcMain,
    core,
    isOurWindow: (contents) => windows.has(contents.id),
    logError: (method, error) => console.error(`[glucoscreen] ${method}:`, error),
  });
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
