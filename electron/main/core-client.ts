import type { SessionView } from '../../core/api/access';
import type { Result } from '../../core/api/result';
import type { EventMessage } from '../../core/api/screening-api';
import type { CoreChannel } from './core-messages';

export interface CoreClient {
  call(
    clientId: number,
    method: string,
    arg: unknown,
  ): Promise<{ result: Result<unknown>; session: SessionView | null }>;
  onEvent(listener: (clientId: number, message: EventMessage) => void): void;
  dropClient(clientId: number): void;
}

/** Main's side of the core process: request/response by id, events by client. */
export function createCoreClient(channel: CoreChannel): CoreClient {
  let nextId = 1;
  const pending = new Map<number, (value: { result: Result<unknown>; session: SessionView | null }) => void>();
  const listeners: ((clientId: number, message: EventMessage) => void)[] = [];
  channel.onMessage((message) => {
    if (message.type === 'result') {
      pending.get(message.id)?.({ result: message.result, session: message.session });
      pending.delete(message.id);
    } else if (message.type === 'event') {
      for (const listener of listeners) listener(message.clientId, message.message);
    } else if (message.type === 'fatal') {
      // The core is gone: every waiting call gets a value, not a hang.
      for (const [id, resolve] of pending) {
        resolve({ result: { ok: false, error: { code: 'internal', message: message.message } }, session: null });
        pending.delete(id);
      }
    }
  });
  return {
    call(clientId, method, arg) {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        channel.postMessage({ type: 'call', id, clientId, method, arg });
      });
    },
    onEvent(listener) {
      listeners.push(listener);
    },
    dropClient(clientId) {
      channel.postMessage({ type: 'drop-client', clientId });
    },
  };
}
