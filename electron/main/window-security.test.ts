import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { resolveAppPath } from './app-protocol';
import {
  APP_SCHEME_PRIVILEGES,
  CONTENT_SECURITY_POLICY,
  hardenSession,
  hardenWebContents,
  isAppUrl,
  isTrustedSender,
  webPreferences,
} from './window-security';

type Listener = (...args: unknown[]) => unknown;

/** A recording stand-in for WebContents / Session: keeps what the hardening code installs. */
function recorder() {
  const on = new Map<string, Listener>();
  const set = new Map<string, Listener>();
  const target = new Proxy(
    {},
    {
      get(_t, prop: string) {
        if (prop === 'on') return (event: string, fn: Listener) => on.set(event, fn);
        if (prop === 'webRequest') return { onBeforeRequest: (fn: Listener) => set.set('onBeforeRequest', fn) };
        return (fn: Listener) => set.set(prop, fn);
      },
    },
  );
  return { target, on, set };
}

function preventable() {
  const event = { prevented: false, preventDefault: () => {} };
  event.preventDefault = () => {
    event.prevented = true;
  };
  return event;
}

describe('window security settings', () => {
  test('context isolation, sandbox and no Node integration anywhere', () => {
    const prefs = webPreferences('/app/preload.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
    });
  });

  test('the CSP is strict: nothing inline, no eval, nothing remote, and the renderer page carries the same policy', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    const html = readFileSync(resolve(import.meta.dirname, '../../renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    const directives = (policy: string) =>
      new Set(
        policy
          .split(';')
          .map((d) => d.trim())
          .filter(Boolean),
      );
    // frame-ancestors is ignored in a meta tag, so only the header carries it.
    const header = [...directives(CONTENT_SECURITY_POLICY)].filter((d) => !d.startsWith('frame-ancestors'));
    expect(directives(meta)).toEqual(new Set(header));
  });

  test('app content comes from a privileged app:// scheme, not file://, without bypassing CSP', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({
      scheme: 'app',
      privileges: { standard: true, secure: true, bypassCSP: false },
    });
    expect(isAppUrl('app://glucoscreen/index.html')).toBe(true);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('https://example.com/')).toBe(false);
    expect(isAppUrl('app://other-host/index.html')).toBe(false);
  });

  test('the app:// handler serves only files inside the renderer folder', () => {
    const dir = '/opt/glucoscreen/renderer';
    expect(resolveAppPath('app://glucoscreen/', dir)).toBe(`${dir}/index.html`);
    expect(resolveAppPath('app://glucoscreen/assets/index.js', dir)).toBe(`${dir}/assets/index.js`);
    for (const attempt of [
      'app://glucoscreen/../../etc/passwd',
      'app://glucoscreen/%2e%2e/%2e%2e/etc/passwd',
      'app://glucoscreen/..%2f..%2fetc%2fpasswd',
      'app://glucoscreen/..%5c..%5cetc%5cpasswd',
    ]) {
      const path = resolveAppPath(attempt, dir);
      expect(path === null || path.startsWith(`${dir}/`), `${attempt} -> ${path}`).toBe(true);
    }
    expect(resolveAppPath('app://evil/index.html', dir)).toBeNull();
    expect(resolveAppPath('file:///etc/passwd', dir)).toBeNull();
  });

  test('navigation away, new windows and webviews are blocked', () => {
    const contents = recorder();
    hardenWebContents(contents.target as never);
    expect(contents.set.get('setWindowOpenHandler')?.({ url: 'https://evil.example' })).toEqual({ action: 'deny' });
    const away = preventable();
    contents.on.get('will-navigate')?.(away, 'https://evil.example/');
    expect(away.prevented).toBe(true);
    const inside = preventable();
    contents.on.get('will-navigate')?.(inside, 'app://glucoscreen/index.html');
    expect(inside.prevented).toBe(false);
    const redirect = preventable();
    contents.on.get('will-redirect')?.(redirect, 'file:///etc/passwd');
    expect(redirect.prevented).toBe(true);
    const webview = preventable();
    contents.on.get('will-attach-webview')?.(webview);
    expect(webview.prevented).toBe(true);
  });

  test('every permission request and check is denied; only app/blob/data requests reach the network stack', () => {
    const session = recorder();
    hardenSession(session.target as never);
    let granted: boolean | null = null;
    session.set.get('setPermissionRequestHandler')?.({}, 'media', (answer: boolean) => {
      granted = answer;
    });
    expect(granted).toBe(false);
    expect(session.set.get('setPermissionCheckHandler')?.({}, 'notifications')).toBe(false);
    expect(session.set.get('setDevicePermissionHandler')?.({})).toBe(false);
    const decide = (url: string) => {
      let cancel: boolean | undefined;
      session.set.get('onBeforeRequest')?.({ url }, (r: { cancel: boolean }) => {
        cancel = r.cancel;
      });
      return cancel;
    };
    expect(decide('https://example.com/x.js')).toBe(true);
    expect(decide('file:///etc/passwd')).toBe(true);
    expect(decide('app://glucoscreen/index.html')).toBe(false);
    const download = preventable();
    session.on.get('will-download')?.(download, { getURL: () => 'https://example.com/file.exe' });
    expect(download.prevented).toBe(true);
  });

  test('an IPC sender is trusted only as the main frame of our window showing our origin', () => {
    const main = { url: 'app://glucoscreen/index.html', parent: null };
    expect(isTrustedSender(main, true)).toBe(true);
    expect(isTrustedSender(main, false)).toBe(false);
    expect(isTrustedSender({ url: 'app://glucoscreen/index.html', parent: main }, true)).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null }, true)).toBe(false);
    expect(isTrustedSender(null, true)).toBe(false);
  });

  test('nothing in main or preload opens external URLs or exposes shell', () => {
    for (const dir of ['.', '../preload']) {
      const folder = resolve(import.meta.dirname, dir);
      for (const file of readdirSync(folder).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
        const source = readFileSync(join(folder, file), 'utf8');
        expect(source, file).not.toMatch(/openExternal|\bshell\b\s*[,}]|ipcRenderer\s*[,}]\s*\)/);
      }
    }
  });
});
