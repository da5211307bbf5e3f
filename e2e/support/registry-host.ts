import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { writeTestBundle } from '../../core/app/test-support/test-app';
import { bumpVersion } from '../../core/registry/semver';
import { openApp, startHostProcess } from './host-process';
import { createFirstAdmin } from './journey';

/**
 * For the model registry specs: a host (with `config`), a candidate bundle one minor version above production in
 * experiments/<candidateDir> at `threshold` (its recorded recall measured on the Pima file), and the first admin
 * signed in.
 */
export async function hostWithCandidate(
  browser: Browser,
  options: { candidateDir: string; threshold: number; config?: object },
) {
  const host = await startHostProcess({ config: options.config });
  const productionVersion: string = JSON.parse(
    readFileSync(join(host.dataDir, 'models/production/metadata.json'), 'utf8'),
  ).version;
  const candidateVersion = bumpVersion(productionVersion, 'minor');
  await writeTestBundle(join(host.dataDir, 'models/experiments', options.candidateDir), {
    version: candidateVersion,
    threshold: options.threshold,
  });
  const { context, page } = await openApp(browser, host);
  await createFirstAdmin(page);
  return { host, context, page, productionVersion, candidateVersion };
}
