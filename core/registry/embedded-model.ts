import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function versionOf(bundleDir: string): string | null {
  try {
    const version = JSON.parse(readFileSync(join(bundleDir, 'metadata.json'), 'utf8')).version;
    return typeof version === 'string' ? version : null;
  } catch {
    return null;
  }
}

/**
 * The app keeps its model registry in its data folder, since promote and rollback rename folders and the shipped
 * resources are read-only. First run: the shipped bundle becomes production. Later, a shipped bundle of a version
 * not installed yet (an app update) is staged under experiments/ for an admin to promote: the production model
 * never changes without an admin's audited decision.
 */
export function installEmbeddedModel(embeddedModelDir: string, modelsRoot: string): void {
  const production = join(modelsRoot, 'production');
  const embeddedVersion = versionOf(embeddedModelDir);
  if (embeddedVersion === null) return;
  if (!existsSync(join(production, 'metadata.json'))) {
    mkdirSync(modelsRoot, { recursive: true });
    cpSync(embeddedModelDir, production, { recursive: true });
    return;
  }
  const installed = [production, join(modelsRoot, 'production_backup')];
  for (const group of ['experiments', 'archive']) {
    const root = join(modelsRoot, group);
    if (existsSync(root)) for (const name of readdirSync(root)) installed.push(join(root, name));
  }
  if (installed.some((dir) => versionOf(dir) === embeddedVersion)) return;
  cpSync(embeddedModelDir, join(modelsRoot, 'experiments', `shipped-${embeddedVersion}`), { recursive: true });
}
