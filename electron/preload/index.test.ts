import { beforeAll, describe, expect, test, vi } from 'vitest';
import { METHOD_NAMES } from '../../core/api/screening-api';

const bridge = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoked: [] as { channel: string; arg: unknown }[],
}));

vi.mock('electron', () => {
  const ipcRenderer = {
    invoke: (channel: string, arg: unknown) => {
      bridge.invoked.push({ channel, arg });
      return Promise.resolve({ ok: true, value: null });
    },
    on: () => {},
    removeListener: () => {},
  };
  return {
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => bridge.exposed.set(key, value) },
    ipcRenderer,
  };
});

beforeAll(async () => {
  await import('./index');
});

describe('preload bridge', () => {
  test('exposes one function per contract method and a subscription, never ipcRenderer', async () => {
    expect([...bridge.exposed.keys()]).toEqual(['glucoscreen']);
    const exposed = bridge.exposed.get('glucoscreen') as { api: Record<string, unknown>; subscribe: unknown };
    expect(Object.keys(exposed).sort()).toEqual(['api', 'subscribe']);
    expect(Object.keys(exposed.api).sort()).toEqual([...METHOD_NAMES].sort());
    for (const fn of Object.values(exposed.api)) expect(typeof fn).toBe('function');
    const json = JSON.stringify(Object.keys(exposed.api));
    expect(json).not.toMatch(/invoke|send|ipcRenderer/);
  });

  test('a method call goes to its own channel with the argument unchanged', async () => {
    const exposed = bridge.exposed.get('glucoscreen') as { api: Record<string, (arg: unknown) => Promise<unknown>> };
    await exposed.api.signIn({ username: 'ann', password: 'pw' });
    expect(bridge.invoked).toEqual([{ channel: 'glucoscreen:signIn', arg: { username: 'ann', password: 'pw' } }]);
  });

  test('only the contract events can be subscribed to', () => {
    const exposed = bridge.exposed.get('glucoscreen') as { subscribe: (e: string, l: () => void) => () => void };
    expect(typeof exposed.subscribe('importProgress', () => {})).toBe('function');
    expect(() => exposed.subscribe('anything-else', () => {})).toThrow(/unknown event/);
  });
});
