/**
 * What the Electron preload puts on `window.glucoscreen`: one function per contract method and an event
 * subscription. Never ipcRenderer itself.
 */
import type { EventName, ScreeningApi, ScreeningEvents } from './screening-api';

export interface PreloadBridge {
  api: ScreeningApi;
  subscribe<E extends EventName>(event: E, listener: (payload: ScreeningEvents[E]) => void): () => void;
}

export const BRIDGE_GLOBAL = 'glucoscreen';

/** HTTP transport of the local host (core/host/http-host.ts): POST `${HTTP_CALL_PREFIX}<method>`, events as server-sent events. */
export const HTTP_CALL_PREFIX = '/api/call/';
export const HTTP_EVENTS_PATH = '/api/events';
export const HTTP_TOKEN_HEADER = 'x-glucoscreen-token';
