/**
 * The renderer's side of the contract: a ScreeningApi built from any transport (the preload bridge in Electron,
 * HTTP to the local host in a browser). The UI holds only a ScreeningApi and never learns which transport it got.
 */
import type { Result } from './result';
import {
  type EventName,
  METHOD_NAMES,
  type MethodName,
  type ScreeningApi,
  type ScreeningEvents,
} from './screening-api';

export interface ApiTransport {
  call(method: MethodName, arg: unknown): Promise<Result<unknown>>;
  subscribe<E extends EventName>(event: E, listener: (payload: ScreeningEvents[E]) => void): () => void;
}

export interface ApiClient {
  api: ScreeningApi;
  on<E extends EventName>(event: E, listener: (payload: ScreeningEvents[E]) => void): () => void;
}

export function createApiClient(transport: ApiTransport): ApiClient {
  const api = {} as Record<MethodName, (arg: unknown) => Promise<Result<unknown>>>;
  for (const name of METHOD_NAMES) {
    api[name] = async (arg: unknown) => {
      try {
        return await transport.call(name, arg);
      } catch (error) {
        // A transport fault (main gone, host stopped) is still a value for the UI.
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, error: { code: 'internal', message: `Connection to the app core failed: ${message}` } };
      }
    };
  }
  return { api: api as unknown as ScreeningApi, on: (event, listener) => transport.subscribe(event, listener) };
}
