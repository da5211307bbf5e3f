import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ConfigError, defaultConfig, loadConfig, parseConfig } from './app-config';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'config-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function problemsOf(value: unknown) {
  try {
    parseConfig(value, 'test.json', dir);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('app config', () => {
  test('an empty object gets every default', () => {
    const config = parseConfig({}, 'x', '/base');
    expect(config.retry).toEqual({
      attempts: 3,
      initialDelayMs: 500,
      backoffFactor: 2,
      maxDelayMs: 10_000,
      stableWindowMs: 200,
    });
    expect(config.drift.enabled).toBe(true);
    expect(config.drift.shareThreshold).toBe(0.5);
    expect(config.risk.cuts).toBeNull();
    expect(config.logLevel).toBe('info');
    expect(config.paths.dbPath).toBe('/base/data/glucoscreen.db');
  });

  test('a partial section keeps the defaults of its other keys', () => {
    const config = parseConfig({ retry: { attempts: 5 }, drift: { enabled: false } }, 'x', '/b');
    expect(config.retry.attempts).toBe(5);
    expect(config.retry.backoffFactor).toBe(2);
    expect(config.drift).toMatchObject({ enabled: false, countThreshold: 3 });
  });

  test('a wrong value is named by its key path', () => {
    expect(problemsOf({ retry: { attempts: -1 } })).toEqual([
      { path: 'retry.attempts', message: expect.stringMatching(/>=\s*0/) },
    ]);
    expect(problemsOf({ drift: { shareThreshold: 'half' } }).map((p) => p.path)).toEqual(['drift.shareThreshold']);
    expect(problemsOf({ logLevel: 'loud' }).map((p) => p.path)).toEqual(['logLevel']);
    expect(problemsOf({ screening: { storeThread: 'yes' } }).map((p) => p.path)).toEqual(['screening.storeThread']);
  });

  test('the store and score threads are automatic by default and can be forced either way', () => {
    expect(parseConfig({}).screening).toMatchObject({
      storeThread: 'auto',
      scoreThread: 'auto',
      threadMinBytes: 8_000_000,
      onnxThreads: 1,
    });
    expect(parseConfig({ screening: { storeThread: false } }).screening.storeThread).toBe(false);
    expect(parseConfig({ screening: { storeThread: true } }).screening.storeThread).toBe(true);
  });

  test('a misspelt key is refused, not ignored', () => {
    expect(problemsOf({ retry: { atempts: 2 } })).toEqual([
      { path: 'retry.atempts', message: 'unknown key (misspelt?)' },
    ]);
  });

  test('risk cuts must be ordered', () => {
    expect(problemsOf({ risk: { cuts: { medium: 0.7, high: 0.4 } } }).map((p) => p.path)).toEqual(['risk.cuts']);
  });

  test('the error message lists every problem with its path', () => {
    expect(() => parseConfig({ retry: { attempts: 'x' }, screening: { chunkRows: 5 } }, 'clinic.json')).toThrow(
      /clinic\.json is not a valid configuration:\n {2}retry\.attempts: .*\n {2}screening\.chunkRows: /,
    );
  });

  test('files: relative paths resolve against the file folder; bad JSON and missing files are named', () => {
    const path = join(dir, 'c.json');
    writeFileSync(path, JSON.stringify({ paths: { modelDir: 'm' } }));
    expect(loadConfig(path).paths.modelDir).toBe(join(dir, 'm'));
    writeFileSync(path, '{ "retry": ');
    expect(() => loadConfig(path)).toThrow(/c\.json is not valid JSON/);
    expect(() => loadConfig(join(dir, 'nope.json'))).toThrow(/nope\.json does not exist/);
    expect(defaultConfig().paths.modelDir.endsWith('models/production')).toBe(true);
  });
});

describe('ingest and units', () => {
  test('defaults: the 64 KiB line limit and no declared unit', () => {
    const config = parseConfig({}, 'x', '/base');
    expect(config.ingest.maxLineLength).toBe(65_536);
    expect(config.units).toEqual({});
  });

  test('a line limit and units are read; a bad one is refused naming its key', () => {
    const config = parseConfig({ ingest: { maxLineLength: 4096 }, units: { Glucose: 'mmol/L', Insulin: 'pmol/L' } });
    expect(config.ingest.maxLineLength).toBe(4096);
    expect(config.units).toEqual({ Glucose: 'mmol/L', Insulin: 'pmol/L' });
    expect(problemsOf({ ingest: { maxLineLength: 100 } }).map((p) => p.path)).toEqual(['ingest.maxLineLength']);
    expect(problemsOf({ ingest: { maxLineLength: 2.5e3 + 0.5 } }).map((p) => p.path)).toEqual(['ingest.maxLineLength']);
    expect(problemsOf({ units: { Glucose: 'g/L' } }).map((p) => p.path)).toEqual(['units.Glucose']);
    // BMI and Age have no other unit to declare.
    expect(problemsOf({ units: { BMI: 'kg/m²' } }).map((p) => p.path)).toEqual(['units.BMI']);
  });
});
