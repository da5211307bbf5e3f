import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BundleError, loadBundle, sha256Hex } from './bundle';
import { HASHED_FILES } from './model-metadata';

/**
 * One model bundle as one file, for clinics that receive models from a central site: a JSON document holding a
 * manifest (the bundle's version and every file's name, size and sha256), the manifest's own sha256, and each file's
 * bytes in base64. Plain JSON keeps it free of archive libraries and readable with any tool.
 *
 * Import refuses the whole file unless the manifest's sha256, every file's size and sha256, and the bundle's own
 * metadata.json hashes all match, and the set of files is exactly the manifest's. The hashes catch a damaged or
 * edited file; they are not a signature, so whoever rewrites a file, its hash in metadata.json and the manifest
 * together passes them.
 */
export const EXPORT_FORMAT = 'glucoscreen-model-bundle';
const FORMAT_VERSION = 1;

interface ManifestEntry {
  name: string;
  size: number;
  sha256: string;
}
interface Manifest {
  version: string;
  files: ManifestEntry[];
}
interface ExportDocument {
  format: string;
  formatVersion: number;
  manifest: Manifest;
  manifestSha256: string;
  contents: Record<string, string>;
}

/** A bundle file name: no folders, nothing hidden, so an import can never write outside its folder. */
const FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/;
const REQUIRED = ['metadata.json', ...HASHED_FILES];

export class BundleImportError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'BundleImportError';
  }
}

function manifestSha256(manifest: Manifest): string {
  return sha256Hex(new TextEncoder().encode(JSON.stringify(manifest)));
}

/** The export file's text for a bundle folder, after verifying the bundle (a changed bundle is never exported). */
export async function exportBundle(dir: string): Promise<{ version: string; text: string }> {
  const bundle = await loadBundle(dir);
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isFile() && FILE_NAME.test(d.name))
    .map((d) => d.name)
    .sort();
  const contents: Record<string, string> = {};
  const files: ManifestEntry[] = names.map((name) => {
    const bytes = readFileSync(join(dir, name));
    contents[name] = bytes.toString('base64');
    return { name, size: bytes.length, sha256: sha256Hex(bytes) };
  });
  const manifest: Manifest = { version: bundle.metadata.version, files };
  const container: ExportDocument = {
    format: EXPORT_FORMAT,
    formatVersion: FORMAT_VERSION,
    manifest,
    manifestSha256: manifestSha256(manifest),
    contents,
  };
  return { version: bundle.metadata.version, text: `${JSON.stringify(container, null, 1)}\n` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every check of the export file, before anything is written: returns the files' bytes by name. */
export function verifyExport(source: string, text: string): { version: string; files: Map<string, Buffer> } {
  let container: unknown;
  try {
    container = JSON.parse(text);
  } catch (error) {
    throw new BundleImportError(source, `is not a model export (not JSON: ${(error as Error).message})`);
  }
  if (!isRecord(container) || container.format !== EXPORT_FORMAT)
    throw new BundleImportError(source, `is not a model export (format is not "${EXPORT_FORMAT}")`);
  if (container.formatVersion !== FORMAT_VERSION)
    throw new BundleImportError(source, `format version ${String(container.formatVersion)} is not supported`);
  const manifest = container.manifest;
  if (!isRecord(manifest) || typeof manifest.version !== 'string' || !Array.isArray(manifest.files))
    throw new BundleImportError(source, 'the manifest is missing or malformed');
  if (container.manifestSha256 !== manifestSha256(manifest as unknown as Manifest))
    throw new BundleImportError(source, 'the manifest does not match its sha256 (the manifest was changed)');
  const contents = container.contents;
  if (!isRecord(contents)) throw new BundleImportError(source, 'the file contents are missing');
  const files = new Map<string, Buffer>();
  for (const entry of manifest.files as unknown[]) {
    if (!isRecord(entry) || typeof entry.name !== 'string' || !FILE_NAME.test(entry.name))
      throw new BundleImportError(source, `the manifest names a file that is not allowed: ${JSON.stringify(entry)}`);
    const name = entry.name;
    if (files.has(name)) throw new BundleImportError(name, 'is listed twice in the manifest');
    const encoded = contents[name];
    if (typeof encoded !== 'string') throw new BundleImportError(name, 'is in the manifest but not in the export');
    const bytes = Buffer.from(encoded, 'base64');
    if (bytes.toString('base64') !== encoded) throw new BundleImportError(name, 'is not valid base64');
    const actual = sha256Hex(bytes);
    if (bytes.length !== entry.size || actual !== entry.sha256)
      throw new BundleImportError(
        name,
        `sha256 ${actual} (${bytes.length} bytes) does not match the manifest's ${String(entry.sha256)} (${String(entry.size)} bytes): the file was changed`,
      );
    files.set(name, bytes);
  }
  for (const name of Object.keys(contents))
    if (!files.has(name)) throw new BundleImportError(name, 'is in the export but not in its manifest (an extra file)');
  for (const name of REQUIRED)
    if (!files.has(name)) throw new BundleImportError(name, 'is missing from the export (every bundle needs it)');
  return { version: manifest.version, files };
}

/**
 * Installs an export under `experimentsDir` as `<folder name>` after every check: the files are written to a hidden
 * temporary folder, verified there as a bundle (its metadata.json hashes, its version equal to the manifest's), and
 * only then renamed into place, so a failure or a crash never leaves a half-imported bundle where it would be listed.
 */
export async function importBundle(
  source: string,
  text: string,
  experimentsDir: string,
  folderFor: (version: string) => string,
): Promise<{ version: string; dir: string }> {
  const { version, files } = verifyExport(source, text);
  mkdirSync(experimentsDir, { recursive: true });
  removeStaleImports(experimentsDir);
  const temp = join(experimentsDir, `.import-${randomBytes(6).toString('hex')}`);
  mkdirSync(temp);
  try {
    for (const [name, bytes] of files) writeFileSync(join(temp, name), bytes);
    let bundleVersion: string;
    try {
      bundleVersion = (await loadBundle(temp)).metadata.version;
    } catch (error) {
      if (error instanceof BundleError) throw new BundleImportError(error.file, error.message);
      throw error;
    }
    if (bundleVersion !== version)
      throw new BundleImportError(
        'metadata.json',
        `says version ${bundleVersion} but the manifest says ${version} (the manifest or the bundle was changed)`,
      );
    const target = join(experimentsDir, folderFor(version));
    if (existsSync(target)) throw new BundleImportError(source, `${target} already exists`);
    renameSync(temp, target);
    return { version, dir: target };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/** A crash during an import leaves its hidden temporary folder: remove those older than a minute. */
function removeStaleImports(experimentsDir: string): void {
  const cutoff = Date.now() - 60_000;
  for (const name of readdirSync(experimentsDir)) {
    if (!name.startsWith('.import-')) continue;
    const path = join(experimentsDir, name);
    if (statSync(path).mtimeMs < cutoff) rmSync(path, { recursive: true, force: true });
  }
}
