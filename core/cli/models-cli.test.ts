import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { writeTestBundle } from '../app/test-support/test-app';
import { openStore } from '../store/sqlite-store';
import { main } from './models';

/**
 * `npm run models` on a clinic's config: production v1.0.0 and two experiments of the test model, v1.1.0 at a low
 * threshold (recall above the 0.85 target on its recorded evaluation) and v1.2.0 at a high one (below it).
 */
let scratch: string;
const HIGH = 'experiments/model_20260101_000000';
const LOW = 'experiments/model_20260102_000000';
const ACTOR = `cli:${userInfo().username}`;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'glucoscreen-models-cli-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function clinic(models: object = {}) {
  const dir = mkdtempSync(join(scratch, 'clinic-'));
  await writeTestBundle(join(dir, 'models/production'), { version: 'v1.0.0', threshold: 0.4 });
  await writeTestBundle(join(dir, 'models', HIGH), { version: 'v1.1.0', threshold: 0.25 });
  await writeTestBundle(join(dir, 'models', LOW), { version: 'v1.2.0', threshold: 0.85 });
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      paths: { dbPath: 'db/glucoscreen.db', modelDir: 'models/production', auditKeyFile: 'keys/audit.key' },
      logLevel: 'warn',
      models,
    }),
  );
  const run = async (...argv: string[]) => {
    const lines: string[] = [];
    const errors: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      errors.push(String(chunk));
      return true;
    });
    try {
      const code = await main([...argv, '--config', config], (l) => lines.push(l));
      return { code, out: lines.join('\n'), err: errors.join('') };
    } finally {
      spy.mockRestore();
    }
  };
  const audit = () => {
    const store = openStore(join(dir, 'db/glucoscreen.db'));
    try {
      return store.audit.list().map((e) => `${e.actor} ${e.action} ${e.subject}`);
    } finally {
      store.close();
    }
  };
  const recall = (id: string) =>
    (JSON.parse(readFileSync(join(dir, 'models', id, 'metadata.json'), 'utf8')).test_metrics.recall as number).toFixed(
      3,
    );
  return { dir, run, audit, recall };
}

describe('npm run models', () => {
  test('list: each version with its evaluation recall and only the actions it allows', async () => {
    const { run, recall } = await clinic();
    const { code, out } = await run('list');
    expect(code).toBe(0);
    expect(out.split('\n')).toEqual([
      expect.stringMatching(/^v1\.0\.0 +production +recall \d\.\d{3} +export$/),
      expect.stringMatching(new RegExp(`^v1\\.2\\.0 +${LOW} +recall ${recall(LOW)} +promote, archive, export$`)),
      expect.stringMatching(new RegExp(`^v1\\.1\\.0 +${HIGH} +recall ${recall(HIGH)} +promote, archive, export$`)),
    ]);
  });

  test('promote: a failed gate refuses (exit 1, audited); --reason overrides it; rollback swaps back', async () => {
    const { run, audit, recall } = await clinic();
    const refused = await run('promote', 'v1.2.0');
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(
      `FAIL recall-target: recall ${recall(LOW)} on its held-out test set is below the target 0.850`,
    );
    expect(refused.err).toContain('Not promoted: recall-target');
    const promoted = await run('promote', 'v1.2.0', '--reason', 'central site validated it locally');
    expect(promoted).toMatchObject({ code: 0, out: expect.stringContaining('v1.2.0 is in production (was v1.0.0)') });
    expect((await run('rollback')).out).toBe('rolled back: v1.0.0 is in production (was v1.2.0)');
    expect(audit()).toEqual([
      `${ACTOR} model.promote-refused v1.2.0`,
      `${ACTOR} model.gates-overridden v1.2.0`,
      `${ACTOR} model.promoted v1.2.0`,
      `${ACTOR} model.rolled-back v1.0.0`,
    ]);
  });

  test('two-person rule: the same user cannot approve their own request; reject closes it', async () => {
    const { run, audit } = await clinic({ requireSecondApprover: true });
    const requested = await run('promote', HIGH);
    expect(requested.code).toBe(0);
    expect(requested.out).toContain('promotion of v1.1.0 requested (request 1); another admin must approve it');
    expect((await run('list')).out).toContain(`pending request 1: v1.1.0 (${HIGH}) by ${ACTOR}`);
    const self = await run('approve', '1');
    expect(self).toMatchObject({ code: 1, err: `${ACTOR} requested this promotion and cannot also approve it.\n` });
    expect((await run('reject', '1', '--reason', 'waiting for labels')).out).toBe('request 1 (v1.1.0) rejected');
    expect(audit()).toEqual([`${ACTOR} model.promotion-requested v1.1.0`, `${ACTOR} model.promotion-rejected v1.1.0`]);
  });

  test('export to one file, import at another clinic; a changed byte is refused naming the file', async () => {
    const central = await clinic();
    const file = join(central.dir, 'v1.1.0.json');
    expect((await central.run('export', 'v1.1.0', file)).out).toBe(`v1.1.0 exported to ${file}`);
    const other = await clinic();
    rmSync(join(other.dir, 'models', HIGH), { recursive: true });
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    const bytes = Buffer.from(doc.contents['model.onnx'], 'base64');
    bytes[100] ^= 0x08;
    doc.contents['model.onnx'] = bytes.toString('base64');
    const tampered = join(central.dir, 'tampered.json');
    writeFileSync(tampered, JSON.stringify(doc));
    const refused = await other.run('import', tampered);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^Not imported: model\.onnx: sha256 [0-9a-f]{64} .* the file was changed\n$/);
    expect((await other.run('import', file)).out).toBe('v1.1.0 imported as experiments/imported-v1.1.0');
    const again = await other.run('import', file);
    expect(again).toMatchObject({ code: 1, err: expect.stringContaining('v1.1.0 is installed already') });
    expect(other.audit()).toEqual([
      `${ACTOR} model.import-refused tampered.json`,
      `${ACTOR} model.imported v1.1.0`,
      `${ACTOR} model.import-refused v1.1.0.json`,
    ]);
  });

  test('archive moves an experiment; show prints the gates; usage errors exit 2', async () => {
    const { run } = await clinic();
    expect((await run('archive', 'v1.2.0')).out).toBe(`${LOW} archived as archive/model_20260102_000000`);
    expect(await run('archive', 'production')).toMatchObject({ code: 1 });
    const shown = await run('show', 'v1.1.0');
    expect(shown.out).toMatch(
      /promotion gates:\n {2}ok {3}bundle: every file matches its sha256\n {2}ok {3}version: v1\.1\.0 is newer/,
    );
    expect(await run('show', 'v9.9.9')).toMatchObject({ code: 2, err: 'There is no model bundle v9.9.9.\n' });
    expect(await run('promote')).toMatchObject({
      code: 2,
      err: expect.stringContaining('promote takes 1 operand(s), got 0'),
    });
    expect(await run('frobnicate')).toMatchObject({
      code: 2,
      err: expect.stringContaining('unknown command "frobnicate"'),
    });
  });
});
