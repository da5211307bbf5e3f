import type { z } from 'zod';
import { DRIFT_METHOD_INFO } from '../drift/drift-method';
import { type AppConfig, AppConfigSchema, configProblems } from './app-config';

/**
 * The sections of the config an admin may change from the app (stored in its database); paths, threads and ingest
 * limits stay in the config file. Validated by the very schema of the file, so a value refused there is refused here.
 */
export const EDITABLE_SECTIONS = [
  'risk',
  'drift',
  'monitoring',
  'followUp',
  'session',
  'retention',
  'backup',
  'api',
] as const;
export type EditableSection = (typeof EDITABLE_SECTIONS)[number];

const EditableSettingsSchema = AppConfigSchema.unwrap().pick({
  risk: true,
  drift: true,
  monitoring: true,
  followUp: true,
  session: true,
  retention: true,
  backup: true,
  api: true,
});
export type EditableSettings = z.infer<typeof EditableSettingsSchema>;

export function settingsFromConfig(config: AppConfig): EditableSettings {
  const picked = Object.fromEntries(EDITABLE_SECTIONS.map((section) => [section, config[section]]));
  return structuredClone(picked) as EditableSettings;
}

/** The config with the stored settings in place of its editable sections. */
export function configWithSettings(config: AppConfig, settings: EditableSettings): AppConfig {
  return { ...config, ...settings };
}

export type SettingsValidation =
  | { ok: true; settings: EditableSettings }
  | { ok: false; problems: { path: string; message: string }[] };

export function validateSettings(value: unknown): SettingsValidation {
  const result = EditableSettingsSchema.safeParse(value);
  if (!result.success) return { ok: false, problems: configProblems(result.error) };
  // The schema accepts any method, but one for every feature must also test the model's categorical feature
  // (BMI_Category): saved from the app, anything else would stop every later import at its drift check.
  const method = result.data.drift.method;
  if (method !== 'auto' && !DRIFT_METHOD_INFO[method].accepts.includes('cat')) {
    const message = `"${method}" tests numeric features only; choose one that also tests categorical features, or auto`;
    return { ok: false, problems: [{ path: 'drift.method', message }] };
  }
  return { ok: true, settings: result.data };
}

export interface SettingChange {
  /** The key path, e.g. 'risk.cuts' or 'drift.importance.topN'. */
  key: string;
  before: unknown;
  after: unknown;
}

/** The leaf keys whose value differs (objects are walked; arrays, nulls and records of overrides compare whole). */
export function changedSettings(before: unknown, after: unknown, prefix = ''): SettingChange[] {
  const isPlain = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isPlain(before) && isPlain(after) && prefix !== 'drift.perFeature') {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => changedSettings(before[k], after[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(before) === JSON.stringify(after)
    ? []
    : [{ key: prefix, before: before ?? null, after: after ?? null }];
}
