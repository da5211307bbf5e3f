import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page, ViewportSize } from '@playwright/test';

export interface RunningHost {
  url: string;
  openUrl: string;
  token: string;
  dataDir: string;
  modelSource: string;
  /** The host's process id (its memory can be read from /proc while it runs). */
  pid: number;
  stop(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Starts e2e/support/test-host.ts in its own process (its own temp data folder, unless `env` names one with
 * GLUCOSCREEN_TEST_DATA_DIR) and waits for its address line.
 */
export function startHostProcess(
  options: { config?: object; env?: Record<string, string> } = {},
): Promise<RunningHost> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'e2e/support/test-host.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    // A spec that needs other settings than the defaults (e.g. the two-person rule) passes its config this way.
    env: {
      ...process.env,
      ...options.env,
      ...(options.config ? { GLUCOSCREEN_TEST_CONFIG: JSON.stringify(options.config) } : {}),
    },
  });
  return new Promise((resolveHost, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error('the test host did not start within 90 s')), 90_000);
    child.on('exit', (code) => reject(new Error(`the test host exited early with code ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const line = buffer.split('\n').find((l) => l.startsWith('GLUCOSCREEN_TEST_HOST '));
      if (!line) return;
      clearTimeout(timer);
      const info = JSON.parse(line.slice('GLUCOSCREEN_TEST_HOST '.length));
      resolveHost({
        ...info,
        pid: child.pid as number,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** A page in a browser context of its own (axe-core's Playwright runner needs one) with the host's app open. */
export async function openApp(
  browser: Browser,
  host: RunningHost,
  viewport?: ViewportSize | null,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(viewport === undefined ? {} : { viewport });
  const page = await context.newPage();
  await page.goto(host.openUrl);
  return { context, page };
}

/** Closes what a spec opened, each if it got that far: its browser context, its host, then its scratch folder. */
export async function closeApp(
  context: BrowserContext | undefined,
  host: RunningHost | undefined,
  scratch?: string,
): Promise<void> {
  await context?.close();
  await host?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}
