import { existsSync } from 'node:fs';
import { chromium, defineConfig } from '@playwright/test';
import { findBrowser, SYSTEM_CHROMIUM } from './scripts/ensure-browser';

/**
 * End-to-end specs in Debian's Chromium (or, on machines without apt, the one Playwright downloaded; see
 * scripts/ensure-browser.ts, run before this) against the app's HTTP host (core/host), which serves the built renderer and the real
 * core; plus the same journey in Electron when a binary exists.
 */
export const CHROMIUM_PATH =
  findBrowser({
    env: process.env,
    prefix: '',
    isRoot: false,
    exists: existsSync,
    playwrightChromium: chromium.executablePath(),
  })?.path ??
  process.env.GLUCOSCREEN_CHROMIUM ??
  SYSTEM_CHROMIUM;

export default defineConfig({
  testDir: 'e2e',
  testMatch: /.*\.spec\.ts$/,
  outputDir: 'test-results',
  globalSetup: './e2e/global-setup.ts',
  // Two cores: one browser at a time, the host process takes the other.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1366, height: 900 },
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'desktop', use: { viewport: { width: 1366, height: 900 } } },
    // The clinician journeys again in a small laptop's window, with their own screenshots; the admin, large-batch
    // and Electron specs run once, at the desktop size, to keep the suite's time down.
    {
      name: 'laptop-1280x720',
      use: { viewport: { width: 1280, height: 720 } },
      testMatch: /(clinician-journey|clinical-honesty)\.spec\.ts$/,
    },
  ],
});
