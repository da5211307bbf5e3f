import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openStore } from '../store/sqlite-store';
import { main } from './serve';

/** The serve command in-process: client management, then the service started, called and stopped. */

const MODEL_DIR = resolve(import.meta.dirname, '../../models/production');
let dir: string;
let config: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'serve-cli-'));
  config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      paths: { dbPath: 'g.db', outputDir: 'out', rejectedDir: 'rejected', modelDir: MODEL_DIR, auditKeyFile: 'k.key' },
      screening: { actor: 'it-admin' },
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], stop?: Promise<unknown>) {
  const lines: string[] = [];
  const code = await main(['--config', config, ...args], (l) => lines.push(l), stop);
  return { code, lines };
}

test('clients made by the CLI call the service it starts; it stops on the signal and both ends are audited', async () => {
  const made = await run(['--create-client', 'lab']);
  expect(made.code).toBe(0);
  const key = made.lines.at(-1) as string;
  expect(key).toMatch(/^gsk_/);
  expect((await run(['--create-client', 'lab'])).code).toBe(2);
  const listed = await run(['--list-clients']);
  expect(listed.lines.join('\n')).toContain('lab');
  expect(listed.lines.join('\n')).not.toContain(key.slice(16));

  let stop = () => {};
  const stopped = new Promise<void>((done) => {
    stop = done;
  });
  const lines: string[] = [];
  const serving = main(['--config', config, '--port', '0'], (l) => lines.push(l), stopped);
  await expect.poll(() => lines.join('\n'), { timeout: 20_000 }).toContain('http://127.0.0.1:');
  const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(lines.join('\n'))?.[1] as string;
  const health = await fetch(new URL('/v1/health', url), { headers: { authorization: `Bearer ${key}` } });
  expect(health.status).toBe(200);
  stop();
  expect(await serving).toBe(0);
  expect(lines.at(-1)).toBe('stopped');
  await expect(fetch(new URL('/v1/health', url))).rejects.toThrow();

  expect((await run(['--revoke-client', 'lab'])).code).toBe(0);
  const store = openStore(join(dir, 'g.db'), { auditKeyring: null });
  try {
    const actions = store.audit.list().map((e) => `${e.actor} ${e.action}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'it-admin api-client.create',
        'it-admin api.start',
        'api:lab api.call',
        'it-admin api.stop',
        'it-admin api-client.revoke',
      ]),
    );
  } finally {
    store.close();
  }
});

test('a bad port is a usage error', async () => {
  const { code } = await run(['--port', 'eighty']);
  expect(code).toBe(2);
});
