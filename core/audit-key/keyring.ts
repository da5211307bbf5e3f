import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The keys of the audit chain's HMAC links. They must not live beside the database: whoever can rewrite the
 * database and its JSONL trail must not also hold the key, or a rewritten chain could be rehashed undetectably.
 * On a server they sit in a 0600 key file in a configured place; in the desktop app, sealed by the OS keychain
 * (Electron's safeStorage, behind the SecretSealer port below). Every key ever used stays in the keyring, so that
 * links made before a rotation keep verifying; the last one is the current key.
 */
export interface AuditKey {
  /** Derived from the secret, so an id can never name a different secret. */
  id: string;
  secret: Buffer;
}

export interface AuditKeyring {
  readonly current: AuditKey;
  readonly keys: readonly AuditKey[];
  byId(id: string): AuditKey | undefined;
}

export class AuditKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditKeyError';
  }
}

export function keyIdOf(secret: Buffer): string {
  return `k${createHash('sha256').update('glucoscreen-audit-key-id\n').update(secret).digest('hex').slice(0, 16)}`;
}

export function newAuditKey(): AuditKey {
  const secret = randomBytes(32);
  return { id: keyIdOf(secret), secret };
}

export function makeKeyring(keys: readonly AuditKey[]): AuditKeyring {
  if (keys.length === 0) throw new AuditKeyError('an audit keyring needs at least one key');
  const map = new Map(keys.map((k) => [k.id, k]));
  return { current: keys[keys.length - 1], keys: [...keys], byId: (id) => map.get(id) };
}

/** One key a line, "<id> <base64 secret>", oldest first; the last line is the current key. */
export function formatKeyring(ring: AuditKeyring): string {
  return `${ring.keys.map((k) => `${k.id} ${k.secret.toString('base64')}`).join('\n')}\n`;
}

export function parseKeyring(text: string, source: string): AuditKeyring {
  const keys: AuditKey[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [id, b64] = line.trim().split(/\s+/);
    const secret = Buffer.from(b64 ?? '', 'base64');
    if (secret.length < 32 || keyIdOf(secret) !== id) {
      throw new AuditKeyError(`line ${i + 1} of the audit key store ${source} is not a valid key`);
    }
    keys.push({ id, secret });
  }
  return makeKeyring(keys);
}

/** Where a cron server keeps the key file unless configured: the user's config folder, not the data folder. */
export function defaultAuditKeyPath(): string {
  if (process.env.GLUCOSCREEN_AUDIT_KEY_FILE) return process.env.GLUCOSCREEN_AUDIT_KEY_FILE;
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'glucoscreen', 'audit.key');
}

function writePrivate(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // Written whole then renamed, so a crash never leaves a keyring that lost its old keys.
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, text, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

function checkPrivate(path: string): void {
  if (process.platform === 'win32') return;
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new AuditKeyError(
      `the audit key file ${path} is readable or writable by group or others (mode ${mode.toString(8)}); run chmod 600 on it`,
    );
  }
}

/** Reads the key file, creating it (0600, one new key) on first use; refuses one that group or others can read. */
export function loadKeyFile(path: string, options: { create?: boolean } = {}): AuditKeyring {
  if (!existsSync(path)) {
    if (options.create === false) throw new AuditKeyError(`no audit key file at ${path}`);
    const ring = makeKeyring([newAuditKey()]);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      // Exclusive create: two processes starting at once must not each make (and link with) a different key.
      writeFileSync(path, formatKeyring(ring), { mode: 0o600, flag: 'wx' });
      return ring;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  checkPrivate(path);
  return parseKeyring(readFileSync(path, 'utf8'), path);
}

/** Adds a new current key to the key file, keeping the old ones for verification. */
export function rotateKeyFile(path: string): { previous: AuditKey; ring: AuditKeyring } {
  const old = loadKeyFile(path, { create: false });
  const ring = makeKeyring([...old.keys, newAuditKey()]);
  writePrivate(path, formatKeyring(ring));
  return { previous: old.current, ring };
}

/** What Electron's safeStorage offers; the adapter in electron/main is this and nothing more. */
export interface SecretSealer {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
}

function requireSealer(sealer: SecretSealer): void {
  if (!sealer.isEncryptionAvailable()) {
    // A plaintext fallback would put the key beside the database, which is what the key is meant to avoid.
    throw new AuditKeyError('the OS keychain is not available, so the audit key cannot be stored safely');
  }
}

/** The desktop keyring: sealed by the OS keychain, created on first use. */
export function loadSealedKeyring(path: string, sealer: SecretSealer): AuditKeyring {
  requireSealer(sealer);
  if (!existsSync(path)) {
    const ring = makeKeyring([newAuditKey()]);
    writeSealed(path, ring, sealer);
    return ring;
  }
  return parseKeyring(sealer.decryptString(readFileSync(path)), path);
}

export function rotateSealedKeyring(path: string, sealer: SecretSealer): { previous: AuditKey; ring: AuditKeyring } {
  const old = loadSealedKeyring(path, sealer);
  const ring = makeKeyring([...old.keys, newAuditKey()]);
  writeSealed(path, ring, sealer);
  return { previous: old.current, ring };
}

function writeSealed(path: string, ring: AuditKeyring, sealer: SecretSealer): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, sealer.encryptString(formatKeyring(ring)), { mode: 0o600 });
  renameSync(temp, path);
}

/**
 * The keyring this process's stores link with. Set once at start-up by the host (CLI or desktop core); a store
 * opened without one in its options uses it, so every writer of one process links with the same key.
 */
let processKeyring: AuditKeyring | null = null;
export function setProcessAuditKeyring(ring: AuditKeyring | null): void {
  processKeyring = ring;
}
export function processAuditKeyring(): AuditKeyring | null {
  return processKeyring;
}

/** The process keyring as text for a worker thread (which has its own module state); null when there is none. */
export function serializeProcessKeyring(): string | null {
  return processKeyring ? formatKeyring(processKeyring) : null;
}

/** CLI start-up: this process links its audit events with the key file's current key (created on first use). */
export function adoptAuditKeyFile(path: string | undefined): AuditKeyring {
  const ring = loadKeyFile(path ?? defaultAuditKeyPath());
  setProcessAuditKeyring(ring);
  return ring;
}

/**
 * The desktop keyring: sealed by the OS keychain beside the app's data (useless without the keychain). Where the
 * keychain is unavailable, the 0600 key file in the user's config folder, never a plaintext key beside the data.
 */
export function desktopKeyring(sealer: SecretSealer, sealedPath: string, fallbackKeyFile: string): AuditKeyring {
  if (sealer.isEncryptionAvailable()) return loadSealedKeyring(sealedPath, sealer);
  return loadKeyFile(fallbackKeyFile);
}

/** The environment variable main hands the keyring to the core process in; the core deletes it once read. */
export const AUDIT_KEYS_ENV = 'GLUCOSCREEN_AUDIT_KEYS';

/** Core process start-up: adopts the keyring main passed, and removes it from the environment. */
export function adoptKeyringFromEnv(env: NodeJS.ProcessEnv = process.env): AuditKeyring | null {
  const text = env[AUDIT_KEYS_ENV];
  delete env[AUDIT_KEYS_ENV];
  const ring = text ? parseKeyring(text, 'the desktop host') : null;
  setProcessAuditKeyring(ring);
  return ring;
}
