import { z } from 'zod';
import { NoInput } from './inputs';
import { method } from './method-spec';

/**
 * The settings an admin changes from the app: the editable sections of the config file (core/config validates them
 * with the file's own schema, so this contract only carries them).
 */
export interface SettingsValues {
  risk: { cuts: { medium: number; high: number } | null; borderlineBand: number };
  drift: {
    enabled: boolean;
    method: string;
    threshold: number | null;
    shareThreshold: number;
    countThreshold: number;
    rule: 'either' | 'share' | 'count' | 'both';
    zeroShareTolerance: number;
    histogramBins: number;
    importance: { topN: number; minShare: number };
    perFeature: Record<string, { method?: string; threshold?: number }>;
  };
  monitoring: { recallAlertBelow: number; consecutiveWeeks: number; minLabelsPerWeek: number };
  followUp: { overdueDays: number };
  session: { autoLockMinutes: number };
  retention: { patientRowsMonths: number | null };
  backup: { keep: number };
  /** The local scoring API: the desktop app starts it on 127.0.0.1 while enabled. */
  api: { enabled: boolean; port: number; rateLimitPerMinute: number; maxBodyBytes: number; maxPatients: number };
}

export interface SettingsDto {
  values: SettingsValues;
  /** Goes up by one with every saved change; an update names the version it was made from. */
  version: number;
  updatedBy: string;
  updatedAt: string;
}

export interface SettingChangeDto {
  key: string;
  before: unknown;
  after: unknown;
}

export interface SettingsUpdateDto {
  settings: SettingsDto;
  /** What this update changed (empty when nothing did; then nothing was saved or audited). */
  changes: SettingChangeDto[];
}

export const UpdateSettingsInput = z.strictObject({
  /**
   * The whole set of editable sections (a section left out takes its defaults). Checked on the server by the
   * config file's own schema, which this browser-safe contract cannot import.
   */
  values: z.custom<SettingsValues>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), {
    message: 'the settings as an object',
  }),
  /** The version the admin edited; a newer stored version refuses the update as a conflict. */
  expectedVersion: z.number().int().min(1),
});

/** Settings: read and change the editable config sections, applied without restarting; every change audited. */
export const settingsMethods = {
  getSettings: method(NoInput, 'admin').returns<SettingsDto>(),
  /** Validated as the config file is (a wrong value is refused naming its key); audited with before and after. */
  updateSettings: method(UpdateSettingsInput, 'admin').returns<SettingsUpdateDto>(),
} as const;
