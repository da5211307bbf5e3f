import type { SettingChangeDto, SettingsDto, SettingsValues } from '../api/settings-methods';
import {
  changedSettings,
  type EditableSettings,
  type SettingsValidation,
  validateSettings,
} from '../config/editable-settings';
import type { Store } from '../store/store';

/** A setting as its user receives it: a fixed value (tests, the CLI) or a read of the live settings. */
export type LiveValue<T> = T | (() => T);
export function readLive<T>(value: LiveValue<T>): T {
  return typeof value === 'function' ? (value as () => T)() : value;
}

/** The contract's copy of the settings type must accept what the config schema produces. */
const asDto = (settings: EditableSettings): SettingsValues => settings;

export type SettingsUpdateOutcome =
  | { kind: 'saved'; settings: SettingsDto; changes: SettingChangeDto[] }
  | { kind: 'invalid'; problems: { path: string; message: string }[] }
  | { kind: 'conflict'; current: SettingsDto };

/**
 * The settings the app runs on, read at use time: whatever reads `current()` (scoring, sessions, drift, monitoring)
 * sees a saved change on its next call, with no restart.
 */
export interface LiveSettings {
  current(): EditableSettings;
  stored(): SettingsDto;
  update(values: unknown, actor: string, expectedVersion: number): SettingsUpdateOutcome;
}

/**
 * The settings stored in the database, seeded from the config file (or the defaults) on first run. Stored values
 * are validated on open as on save: a database whose settings no longer validate is refused naming the key.
 */
export function createLiveSettings(
  store: Store,
  seed: EditableSettings,
  /** Called after a change is saved (the local scoring API follows its setting this way). */
  onSaved: (settings: EditableSettings) => void = () => {},
): LiveSettings {
  const parseStored = (): SettingsDto => {
    const row = store.settings.get() ?? store.settings.save(seed, 'config-file', null);
    if (!row) throw new Error('the settings could not be seeded');
    const checked: SettingsValidation = validateSettings(row.values);
    if (!checked.ok) {
      const keys = checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
      throw new Error(`the stored settings are not valid (${keys})`);
    }
    return {
      values: asDto(checked.settings),
      version: row.version,
      updatedBy: row.updatedBy,
      updatedAt: row.updatedAt,
    };
  };
  let cached = parseStored();
  let settings = validateSettings(cached.values) as { ok: true; settings: EditableSettings };
  return {
    current: () => settings.settings,
    stored: () => cached,
    update(values, actor, expectedVersion) {
      const checked = validateSettings(values);
      if (!checked.ok) return { kind: 'invalid', problems: checked.problems };
      const changes = changedSettings(settings.settings, checked.settings);
      if (cached.version !== expectedVersion) return { kind: 'conflict', current: cached };
      if (changes.length === 0) return { kind: 'saved', settings: cached, changes };
      const saved = store.transaction(() => {
        const row = store.settings.save(checked.settings, actor, expectedVersion);
        if (!row) return null;
        store.audit.append({
          actor,
          action: 'settings.updated',
          subject: `settings v${row.version}`,
          details: { version: row.version, changes },
        });
        return row;
      });
      if (!saved) {
        cached = parseStored();
        return { kind: 'conflict', current: cached };
      }
      cached = {
        values: asDto(checked.settings),
        version: saved.version,
        updatedBy: saved.updatedBy,
        updatedAt: saved.updatedAt,
      };
      settings = checked;
      onSaved(checked.settings);
      return { kind: 'saved', settings: cached, changes };
    },
  };
}
