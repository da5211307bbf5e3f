import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type BrowserProbe, planBrowser } from './ensure-browser';

/** A real empty prefix (no browser under it) and fake PATH folders holding only the tools a case needs. */
let dir: string;
let emptyPrefix: string;
const bins: Record<string, string> = {};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ensure-browser-'));
  emptyPrefix = join(dir, 'empty');
  mkdirSync(emptyPrefix);
  for (const tools of [[], ['apt-get'], ['npx'], ['apt-get', 'npx']]) {
    const bin = join(dir, `bin-${tools.join('-') || 'none'}`);
    mkdirSync(bin);
    for (const tool of tools) {
      writeFileSync(join(bin, tool), '#!/bin/sh\nexit 0\n');
      chmodSync(join(bin, tool), 0o755);
    }
    bins[tools.join('-') || 'none'] = bin;
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function probe(over: Partial<BrowserProbe> & { path?: string } = {}): BrowserProbe {
  return {
    env: { PATH: over.path ?? bins.none, ...over.env },
    prefix: over.prefix ?? emptyPrefix,
    isRoot: over.isRoot ?? false,
    exists: existsSync,
    playwrightChromium: over.playwrightChromium ?? null,
  };
}

describe('the e2e browser', () => {
  test('GLUCOSCREEN_CHROMIUM first, then the system Chromium under the prefix, then Playwright’s own', () => {
    const prefix = join(dir, 'with-system');
    mkdirSync(join(prefix, 'usr/bin'), { recursive: true });
    writeFileSync(join(prefix, 'usr/bin/chromium'), '');
    const custom = join(dir, 'my-chrome');
    writeFileSync(custom, '');
    expect(planBrowser(probe({ prefix, env: { GLUCOSCREEN_CHROMIUM: custom } }))).toEqual({
      kind: 'found',
      path: custom,
      source: 'GLUCOSCREEN_CHROMIUM',
    });
    expect(planBrowser(probe({ prefix }))).toMatchObject({ kind: 'found', source: 'system' });
    expect(planBrowser(probe({ playwrightChromium: custom }))).toMatchObject({ kind: 'found', source: 'playwright' });
  });

  test('none present, root with apt-get: installs Debian’s chromium', () => {
    const plan = planBrowser(probe({ isRoot: true, path: bins['apt-get-npx'] }));
    expect(plan).toMatchObject({ kind: 'install', via: 'apt' });
    expect(plan.kind === 'install' && plan.commands.map((c) => c.join(' '))).toEqual([
      'apt-get update -qq',
      'apt-get install -y -qq chromium',
    ]);
  });

  test('none present, not root (or no apt-get): Playwright’s download, unless downloads are off', () => {
    expect(planBrowser(probe({ isRoot: false, path: bins['apt-get-npx'] }))).toMatchObject({
      kind: 'install',
      via: 'playwright',
    });
    expect(planBrowser(probe({ isRoot: true, path: bins.npx }))).toMatchObject({ via: 'playwright' });
    const offline = planBrowser(probe({ path: bins['apt-get-npx'], env: { PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' } }));
    expect(offline.kind).toBe('none');
    expect(offline.kind === 'none' && offline.message).toMatch(/not root.*downloads are off.*GLUCOSCREEN_CHROMIUM/);
  });

  test('nothing can work: one clear message', () => {
    const plan = planBrowser(probe({ isRoot: true, path: bins.none }));
    expect(plan).toEqual({ kind: 'none', message: expect.stringMatching(/no apt-get on PATH, and no npx on PATH/) });
    const missing = planBrowser(probe({ env: { GLUCOSCREEN_CHROMIUM: join(dir, 'nope') }, path: bins['apt-get-npx'] }));
    expect(missing).toMatchObject({
      kind: 'none',
      message: expect.stringMatching(/GLUCOSCREEN_CHROMIUM .* does not exist/),
    });
  });

  test('--dry-run with an empty prefix prints the commands it would run and runs none', () => {
    const r = spawnSync('npx', ['tsx', 'scripts/ensure-browser.ts', '--dry-run', '--prefix', emptyPrefix], {
      cwd: resolve(import.meta.dirname, '..'),
      encoding: 'utf8',
      env: { ...process.env, GLUCOSCREEN_CHROMIUM: '' },
    });
    expect(r.status, r.stderr).toBe(0);
    if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
      expect(r.stdout).toMatch(/would run: apt-get update -qq\n.*would run: apt-get install -y -qq chromium/);
    } else {
      expect(r.stdout).toMatch(/would run: npx playwright install chromium/);
    }
  });
});
