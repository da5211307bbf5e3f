/** The app's editable settings as stored: an opaque validated JSON object (core/config validates it). */
export interface StoredSettings {
  values: unknown;
  version: number;
  updatedBy: string;
  updatedAt: string;
}

export interface SettingsStore {
  /** The stored settings, or null before the first run seeded them. */
  get(): StoredSettings | null;
  /**
   * Writes the settings as the next version. Refused (returns null) when the stored version is not
   * `expectedVersion` (null: nothing stored yet), so two admins cannot overwrite each other unseen.
   */
  save(values: unknown, by: string, expectedVersion: number | null): StoredSettings | null;
}
