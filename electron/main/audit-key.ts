/**
 * The audit chain's key in the desktop app, sealed by the OS keychain through safeStorage. Only this adapter
 * touches Electron; the keyring logic is core/audit-key (unit-tested there with a fake sealer).
 */
import { join } from 'node:path';
import { safeStorage } from 'electron';
import { AUDIT_KEYS_ENV, defaultAuditKeyPath, desktopKeyring, formatKeyring } from '../../core/audit-key/keyring';

/** The environment entry that hands the keyring to the core process, or none when no key could be had. */
export function auditKeyEnv(userDataDir: string): Record<string, string> {
  try {
    const ring = desktopKeyring(safeStorage, join(userDataDir, 'audit-key.sealed'), defaultAuditKeyPath());
    return { [AUDIT_KEYS_ENV]: formatKeyring(ring) };
  } catch (error) {
    // The app still runs; its audit links stay plain SHA-256 and checkpoints are refused, which verify reports.
    process.stderr.write(`audit key unavailable: ${(error as Error).message}\n`);
    return {};
  }
}
