import { existsSync } from 'node:fs';
import { CHROMIUM_PATH } from '../playwright.config';
import { buildRenderer } from './support/build-renderer';

/** Builds the renderer once per run (the host serves dist/renderer) and checks the system Chromium is there. */
export default async function globalSetup(): Promise<void> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. \`npm run test:e2e\` installs one (scripts/ensure-browser.ts); ` +
        "or install Debian's by hand (apt-get update && apt-get install -y chromium), or set GLUCOSCREEN_CHROMIUM.",
    );
  }
  await buildRenderer();
}
