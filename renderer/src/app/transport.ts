import { type ApiClient, type ApiTransport, createApiClient } from '@contract/api-client';
import {
  BRIDGE_GLOBAL,
  HTTP_CALL_PREFIX,
  HTTP_EVENTS_PATH,
  HTTP_TOKEN_HEADER,
  type PreloadBridge,
} from '@contract/bridge';
import type { Result } from '@contract/result';
import type { EventName, MethodName, ScreeningEvents } from '@contract/screening-api';

/**
 * Chosen once at start-up: the Electron preload bridge when it is there, otherwise HTTP to the e2e/local host that
 * served this page. Nothing else in the renderer knows which one it got.
 */
export function pickTransport(): ApiClient {
  const bridge = (window as unknown as Record<string, PreloadBridge | undefined>)[BRIDGE_GLOBAL];
  return createApiClient(bridge ? bridgeTransport(bridge) : httpTransport(takeToken()));
}

function bridgeTransport(bridge: PreloadBridge): ApiTransport {
  const methods = bridge.api as unknown as Record<MethodName, (arg: unknown) => Promise<Result<unknown>>>;
  return {
    call: (method, arg) => methods[method](arg),
    subscribe: (event, listener) => bridge.subscribe(event, listener),
  };
}

const TOKEN_KEY = 'glucoscreen-token';

/** The host prints a URL with ?token=…; keep it for this tab only and take it out of the address bar. */
function takeToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.toString());
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function httpTransport(token: string): ApiTransport {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  let source: EventSource | null = null;
  const ensureSource = () => {
    if (source) return;
    source = new EventSource(`${HTTP_EVENTS_PATH}?token=${encodeURIComponent(token)}`);
    source.onmessage = (message) => {
      const { event, payload } = JSON.parse(message.data) as { event: EventName; payload: never };
      for (const listener of listeners.get(event) ?? []) listener(payload);
    };
  };
  return {
    async call(method, arg) {
      const response = await fetch(`${HTTP_CALL_PREFIX}${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [HTTP_TOKEN_HEADER]: token },
        body: JSON.stringify(arg ?? {}),
      });
      if (!response.ok && response.status !== 200) {
        return { ok: false, error: { code: 'internal', message: `The local host answered ${response.status}.` } };
      }
      return (await response.json()) as Result<unknown>;
    },
    subscribe<E extends EventName>(event: E, listener: (payload: ScreeningEvents[E]) => void) {
      ensureSource();
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
}
