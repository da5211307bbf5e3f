import { beforeAll, describe, expect, test, vi } from 'vitest';

/**
 * The composition root with Electron replaced by recording fakes (no binary needed): what main actually passes
 * to BrowserWindow, protocol, session and utilityProcess.
 */
const recorded = vi.hoisted(() => ({
  privileged: [] as unknown[],
  sandboxEnabled: false,
  windows: [] as { options: { webPreferences: Record<string, unknown> }; url: string | null }[],
  forks: [] as { modulePath: string; options: { env: Record<string, string> } }[],
  handledSchemes: [] as string[],
  ipcChannels: [] as string[],
  permissionHandlerSet: false,
  windowOpenHandlers: 0,
  ready: null as Promise<void> | null,
  singleInstanceLockRequested: false,
  appEvents: [] as string[],
}));

vi.mock('electron', () => {
  const contents = (id: number) => ({
    id,
    setWindowOpenHandler: () => {
      recorded.windowOpenHandlers++;
    },
    on: () => {},
    send: () => {},
  });
  class BrowserWindow {
    static all: BrowserWindow[] = [];
    webContents = contents(BrowserWindow.all.length + 1);
    record: { options: { webPreferences: Record<string, unknown> }; url: string | null };
    constructor(options: { webPreferences: Record<string, unknown> }) {
      this.record = { options, url: null };
      recorded.windows.push(this.record);
      BrowserWindow.all.push(this);
    }
    static getAllWindows() {
      return BrowserWindow.all;
    }
    once() {}
    on() {}
    loadURL(url: string) {
      this.record.url = url;
      return Promise.resolve();
    }
  }
  const defaultSession = {
    setPermissionRequestHandler: () => {
      recorded.permissionHandlerSet = true;
    },
    setPermissionCheckHandler: () => {},
    setDevicePermissionHandler: () => {},
    on: () => {},
    webRequest: { onBeforeRequest: () => {} },
  };
  recorded.ready = Promise.resolve();
  return {
    app: {
      isPackaged: false,
      enableSandbox: () => {
        recorded.sandboxEnabled = true;
      },
      whenReady: () => recorded.ready,
      requestSingleInstanceLock: () => {
        recorded.singleInstanceLockRequested = true;
        return true;
      },
      on: (event: string) => recorded.appEvents.push(event),
      getPath: () => '/tmp/glucoscreen-user-data',
      quit: () => {},
    },
    BrowserWindow,
    ipcMain: { handle: (channel: string) => recorded.ipcChannels.push(channel) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => recorded.privileged.push(...schemes),
      handle: (scheme: string) => recorded.handledSchemes.push(scheme),
    },
    session: { defaultSession },
    utilityProcess: {
      fork: (modulePath: string, _args: string[], options: { env: Record<string, string> }) => {
        recorded.forks.push({ modulePath, options });
        return { on: () => {}, postMessage: () => {} };
      },
    },
  };
});

beforeAll(async () => {
  await import('./index');
  await recorded.ready;
  await new Promise((r) => setTimeout(r, 0));
});

describe('electron main (composition root)', () => {
  test('registers app:// as a secure standard scheme and serves the renderer from it, not file://', () => {
    expect(recorded.privileged).toEqual([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ secure: true, bypassCSP: false }),
      }),
    ]);
    expect(recorded.handledSchemes).toEqual(['app']);
    expect(recorded.windows[0]?.url).toBe('app://glucoscreen/index.html');
  });

  test('the window is sandboxed, isolated, without Node, with the preload bridge', () => {
    expect(recorded.sandboxEnabled).toBe(true);
    const prefs = recorded.windows[0]?.options.webPreferences;
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webviewTag: false });
    expect(String(prefs?.preload)).toMatch(/preload\.cjs$/);
    expect(recorded.windowOpenHandlers).toBeGreaterThan(0);
    expect(recorded.permissionHandlerSet).toBe(true);
  });

  test('core runs in a utility process; main registers one IPC channel per contract method', async () => {
    const { METHOD_NAMES } = await import('../../core/api/screening-api');
    expect(recorded.forks).toHaveLength(1);
    expect(recorded.forks[0].modulePath).toMatch(/core-process\.cjs$/);
    expect(recorded.forks[0].options.env.GLUCOSCREEN_DATA_DIR).toBe('/tmp/glucoscreen-user-data');
    expect(recorded.ipcChannels.sort()).toEqual(METHOD_NAMES.map((m) => `glucoscreen:${m}`).sort());
  });

  test('takes the single-instance lock and brings the existing window forward for a second launch', () => {
    expect(recorded.singleInstanceLockRequested).toBe(true);
    expect(recorded.appEvents).toContain('second-instance');
  });
});
