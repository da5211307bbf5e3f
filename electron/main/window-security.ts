/**
 * The window's security settings, following Electron's security checklist. Kept free of runtime Electron imports
 * (types only, objects passed in) so that a plain vitest test can assert every one of them without the binary.
 */
import type { Session, WebContents, WebPreferences } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'glucoscreen';
const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** Sent as a header by the app:// handler; the same policy as the local HTTP host's. */
export { CONTENT_SECURITY_POLICY } from '../../core/host/renderer-assets';

/** `devTools`: only ever true when not packaged (dev-overrides.ts decides). */
export function webPreferences(preloadPath: string, devTools = false): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools,
  };
}

/** Only the app's own origin is trusted: for navigation and as the sender of IPC messages. */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/** The IPC sender check: the main frame of one of our windows, showing our own origin. */
export function isTrustedSender(
  frame: { url: string; parent: unknown } | null | undefined,
  isOurWindow: boolean,
): boolean {
  return !!frame && frame.parent === null && isOurWindow && isAppUrl(frame.url);
}

/** No navigation away from the app, no new windows, no webviews; links never open with data from files. */
export function hardenWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Every permission (camera, notifications, geolocation, HID, serial, …) is denied: the app needs none. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event, item) => {
    // Exports are blob: URLs created by the app itself; nothing else may download.
    if (!item.getURL().startsWith(`blob:${APP_ORIGIN}/`)) event.preventDefault();
  });
  session.webRequest.onBeforeRequest((details, callback) => {
    // No network: only the app's own scheme, blobs and data URLs.
    const allowed = /^(app|blob|data|devtools):/.test(details.url);
    callback({ cancel: !allowed });
  });
}

/** Privileges of the app:// scheme, registered before the app is ready. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: {
    standard: true,
    secure: true,
    supportFetchAPI: true,
    stream: false,
    bypassCSP: false,
    corsEnabled: false,
  },
} as const;
