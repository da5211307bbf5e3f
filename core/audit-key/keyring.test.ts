import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  AUDIT_KEYS_ENV,
  adoptKeyringFromEnv,
  desktopKeyring,
  formatKeyring,
  loadKeyFile,
  loadSealedKeyring,
  processAuditKeyring,
  rotateKeyFile,
  rotateSealedKeyring,
  type SecretSealer,
  setProcessAuditKeyring,
} from './keyring';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-key-'));
});
afterEach(() => {
  setProcessAuditKeyring(null);
  rmSync(dir, { recursive: true, force: true });
});

/** Stands in for safeStorage: a reversible transform, so a test can tell the file holds no plaintext key. */
function fakeSealer(available = true): SecretSealer & { sealed: number } {
  const sealer = {
    sealed: 0,
    isEncryptionAvailable: () => available,
    encryptString(plain: string) {
      sealer.sealed++;
      return Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a));
    },
    decryptString(sealed: Buffer) {
      return Buffer.from(sealed.map((b) => b ^ 0x5a)).toString('utf8');
    },
  };
  return sealer;
}

describe('audit key file', () => {
  test('is created 0600 (in a 0700 folder) on first use and read back the same', () => {
    const path = join(dir, 'conf/glucoscreen/audit.key');
    const ring = loadKeyFile(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'conf/glucoscreen')).mode & 0o777).toBe(0o700);
    expect(loadKeyFile(path).current.id).toBe(ring.current.id);
    expect(ring.current.secret).toHaveLength(32);
  });

  test('a key file readable by group or others is refused, naming the file and the fix', () => {
    const path = join(dir, 'audit.key');
    loadKeyFile(path);
    chmodSync(path, 0o640);
    expect(() => loadKeyFile(path)).toThrow(
      /audit\.key is readable or writable by group or others \(mode 640\).*chmod 600/,
    );
  });

  test('an edited key line is refused (the id is derived from the secret)', () => {
    const path = join(dir, 'audit.key');
    const ring = loadKeyFile(path);
    writeFileSync(path, formatKeyring(ring).replace(/^k[0-9a-f]{16}/, 'k0000000000000000'), { mode: 0o600 });
    expect(() => loadKeyFile(path)).toThrow(/line 1 of the audit key store .* is not a valid key/);
  });

  test('rotation keeps the old key for verification and makes the new one current', () => {
    const path = join(dir, 'audit.key');
    const first = loadKeyFile(path);
    const { previous, ring } = rotateKeyFile(path);
    expect(previous.id).toBe(first.current.id);
    expect(ring.current.id).not.toBe(first.current.id);
    expect(loadKeyFile(path).byId(first.current.id)?.secret.equals(first.current.secret)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});

describe('desktop keyring (safeStorage adapter core)', () => {
  test('is sealed by the keychain: the file holds no plaintext key, and unseals to the same keyring', () => {
    const sealer = fakeSealer();
    const path = join(dir, 'audit-key.sealed');
    const ring = loadSealedKeyring(path, sealer);
    expect(readFileSync(path).toString('latin1')).not.toContain(ring.current.id);
    expect(loadSealedKeyring(path, sealer).current.id).toBe(ring.current.id);
    const rotated = rotateSealedKeyring(path, sealer);
    expect(rotated.ring.keys.map((k) => k.id)).toEqual([ring.current.id, rotated.ring.current.id]);
  });

  test('without a keychain it falls back to the 0600 key file, never a plaintext file beside the data', () => {
    const ring = desktopKeyring(fakeSealer(false), join(dir, 'data/audit-key.sealed'), join(dir, 'conf/audit.key'));
    expect(statSync(join(dir, 'conf/audit.key')).mode & 0o777).toBe(0o600);
    expect(() => statSync(join(dir, 'data/audit-key.sealed'))).toThrow();
    expect(ring.keys).toHaveLength(1);
  });

  test('the core process adopts the keyring main passed and removes it from its environment', () => {
    const ring = loadSealedKeyring(join(dir, 's'), fakeSealer());
    const env: NodeJS.ProcessEnv = { [AUDIT_KEYS_ENV]: formatKeyring(ring) };
    expect(adoptKeyringFromEnv(env)?.current.id).toBe(ring.current.id);
    expect(env[AUDIT_KEYS_ENV]).toBeUndefined();
    expect(processAuditKeyring()?.current.id).toBe(ring.current.id);
  });
});
