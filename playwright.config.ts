import { defineConfig } from '@playwright/test';

/**
 * End-to-end specs in Debian's Chromium (never a downloaded browser) against the app's HTTP host (core/host), which
 * serves the built renderer and the real core; plus the same journey in Electron when a binary exists.
 */
export const CHROMIUM_PATH = process.env.GLUCOSCREEN_CHROMIUM ?? '/usr/bin/chromium';

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
});
