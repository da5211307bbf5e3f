import { describe, expect, test } from 'vitest';
import type { SessionView } from '../../core/api/access';
import type { Result } from '../../core/api/result';
import { channelOf, METHOD_NAMES } from '../../core/api/screening-api';
import type { CoreClient } from './core-client';
import { registerIpcHandlers } from './ipc-handlers';

type Handler = (event: unknown, arg: unknown) => Promise<Result<unknown>>;

function setup(sessionAfterCall: SessionView | null = null) {
  const handlers = new Map<string, Handler>();
  const calls: { clientId: number; method: string; arg: unknown }[] = [];
  const core: CoreClient = {
    async call(clientId, method, arg) {
      calls.push({ clientId, method, arg });
      if (method === 'listBatches') throw new Error('core crashed');
      return { result: { ok: true, value: null }, session: sessionAfterCall };
    },
    onEvent: () => {},
    dropClient: () => {},
  };
  const registered = registerIpcHandlers({
    ipcMain: { handle: (channel: string, fn: Handler) => handlers.set(channel, fn) } as never,
    core,
    isOurWindow: (contents) => (contents as { id: number }).id === 1,
  });
  const event = (id = 1, url = 'app://glucoscreen/index.html', parent: unknown = null) => ({
    sender: { id },
    senderFrame: { url, parent },
  });
  const invoke = (method: string, arg: unknown, ev = event()) =>
    (handlers.get(`glucoscreen:${method}`) as Handler)(ev, arg);
  return { handlers, calls, invoke, event, sessions: registered.sessions };
}

const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);

describe('IPC handlers', () => {
  test('every contract method has exactly one channel', () => {
    const { handlers } = setup();
    expect([...handlers.keys()].sort()).toEqual(METHOD_NAMES.map((m) => channelOf(m)).sort());
  });

  test('messages from another window, a subframe or a foreign origin are refused before reaching core', async () => {
    const { invoke, event, calls } = setup();
    expect(code(await invoke('firstRunStatus', {}, event(2)))).toBe('forbidden');
    expect(code(await invoke('firstRunStatus', {}, event(1, 'app://glucoscreen/index.html', {})))).toBe('forbidden');
    expect(code(await invoke('firstRunStatus', {}, event(1, 'https://evil.example/')))).toBe('forbidden');
    expect(calls).toEqual([]);
  });

  test('payloads are parsed with the contract before reaching core', async () => {
    const { invoke, calls } = setup();
    expect(code(await invoke('signIn', { username: 'ann', password: 'pw', role: 'admin' }))).toBe('invalid-argument');
    expect(code(await invoke('signIn', 'ann:pw'))).toBe('invalid-argument');
    expect(calls).toEqual([]);
    expect(code(await invoke('signIn', { username: 'ann', password: 'pw' }))).toBe('ok');
    expect(calls).toEqual([{ clientId: 1, method: 'signIn', arg: { username: 'ann', password: 'pw' } }]);
  });

  test('the role is checked in main: a clinician window cannot reach an admin method', async () => {
    const { invoke, calls, sessions } = setup({ role: 'clinician', locked: false });
    expect(code(await invoke('listUsers', {}))).toBe('unauthenticated');
    await invoke('signIn', { username: 'nurse', password: 'pw' });
    expect(sessions.get(1)).toEqual({ role: 'clinician', locked: false });
    expect(code(await invoke('createUser', { username: 'eve', password: 'x'.repeat(12), role: 'admin' }))).toBe(
      'forbidden',
    );
    expect(calls.map((c) => c.method)).toEqual(['signIn']);
    expect(code(await invoke('worklistPage', { batchId: '1', offset: 0, limit: 10 }))).toBe('ok');
  });

  test('a fault in core comes back as an internal error value', async () => {
    const { invoke } = setup({ role: 'clinician', locked: false });
    await invoke('signIn', { username: 'nurse', password: 'pw' });
    const result = await invoke('listBatches', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
