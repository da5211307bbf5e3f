import { existsSync } from 'node:fs';
import { CHROMIUM_PATH } from '../playwright.config';
import { buildRenderer } from './support/build-renderer';

/** Builds the renderer once per run (the host serves dist/renderer) and checks the system Chromium is there. */
export default async function globalSetup(): Promise<void> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Install Debian's: apt-get update && apt-get install -y chromium ` +
        '(or set GLUCOSCREEN_CHROMIUM). Playwright must not download its own browser.',
    );
  }
  await buildRenderer();
}
