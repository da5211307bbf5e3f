import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ModelMetadata, ModelMetadataSchema } from './model-metadata';

/**
 * Read-only listing of the bundles under a models root (production, production_backup, experiments/*, archive/*)
 * for the admin's Models view. Metadata is parsed with the registry's schema but the files' sha256 are not
 * checked here: listing must stay cheap, and promote (ModelRegistry.promote -> loadBundle) verifies every file.
 */
type InstalledLocation = 'production' | 'production_backup' | 'experiment' | 'archive';

export interface InstalledVersion {
  /** Path relative to the models root: "production", "production_backup", "experiments/<dir>", "archive/<dir>". */
  id: string;
  dir: string;
  location: InstalledLocation;
  /** Parsed metadata.json, or null with the reason in `problem`. */
  metadata: ModelMetadata | null;
  problem: string | null;
  /** MODEL_CARD.md text, or null when absent. */
  modelCard: string | null;
}

function entry(root: string, id: string, location: InstalledLocation): InstalledVersion | null {
  const dir = join(root, id);
  const metadataPath = join(dir, 'metadata.json');
  if (!existsSync(metadataPath)) return null;
  const cardPath = join(dir, 'MODEL_CARD.md');
  const modelCard = existsSync(cardPath) ? readFileSync(cardPath, 'utf8') : null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(metadataPath, 'utf8'));
  } catch (error) {
    return {
      id,
      dir,
      location,
      metadata: null,
      problem: `metadata.json is not JSON: ${(error as Error).message}`,
      modelCard,
    };
  }
  const parsed = ModelMetadataSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return {
      id,
      dir,
      location,
      metadata: null,
      problem: `metadata.json is invalid: ${first ? `${first.path.join('.')}: ${first.message}` : 'unknown problem'}`,
      modelCard,
    };
  }
  return { id, dir, location, metadata: parsed.data, problem: null, modelCard };
}

function children(root: string, group: 'experiments' | 'archive'): string[] {
  const dir = join(root, group);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/.test(d.name))
    .map((d) => d.name)
    .sort()
    .reverse();
}

/** Production first, then its backup, then experiments and archive (newest directory name first). */
export function listInstalledVersions(modelsRoot: string): InstalledVersion[] {
  const found: (InstalledVersion | null)[] = [
    entry(modelsRoot, 'production', 'production'),
    entry(modelsRoot, 'production_backup', 'production_backup'),
    ...children(modelsRoot, 'experiments').map((name) => entry(modelsRoot, `experiments/${name}`, 'experiment')),
    ...children(modelsRoot, 'archive').map((name) => entry(modelsRoot, `archive/${name}`, 'archive')),
  ];
  return found.filter((v): v is InstalledVersion => v !== null);
}

/** The recall target shown when a bundle does not state its own: the clinical target. */
const DEFAULT_TARGET_RECALL = 0.85;

/** The production model's own recall target (the clinical default when its bundle does not state one). */
export function productionRecallTarget(modelsRoot: string): number {
  const production = listInstalledVersions(modelsRoot).find((v) => v.location === 'production');
  return production?.metadata?.target_recall ?? DEFAULT_TARGET_RECALL;
}
