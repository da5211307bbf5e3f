import type { ApiClient } from '@contract/api-client';
import type { Result } from '@contract/result';
import { METHOD_NAMES, type MethodName } from '@contract/screening-api';

/**
 * Wraps the client so that a `locked` or `unauthenticated` answer from main, whichever view asked, sends the whole
 * app to the lock or sign-in screen. Main is the authority; the UI follows.
 */
export function guardedClient(client: ApiClient, onAuthLost: (code: 'locked' | 'unauthenticated') => void): ApiClient {
  const raw = client.api as unknown as Record<MethodName, (arg: unknown) => Promise<Result<unknown>>>;
  const api = {} as Record<MethodName, (arg: unknown) => Promise<Result<unknown>>>;
  for (const name of METHOD_NAMES) {
    api[name] = async (arg) => {
      const result = await raw[name](arg);
      if (!result.ok && (result.error.code === 'locked' || result.error.code === 'unauthenticated')) {
        onAuthLost(result.error.code);
      }
      return result;
    };
  }
  return { api: api as unknown as ApiClient['api'], on: client.on };
}
