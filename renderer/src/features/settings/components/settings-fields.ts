import type { SettingsValues } from '@contract/settings-methods';

/** One editable value of the Settings view: its key path (as the server names it in a refusal) and its input. */
export interface SettingField {
  path: string;
  label: string;
  kind: 'number' | 'optional-number' | 'boolean' | 'choice';
  choices?: readonly string[];
  hint?: string;
}

export interface SettingGroup {
  title: string;
  fields: SettingField[];
}

export const SETTING_GROUPS: SettingGroup[] = [
  {
    title: 'Risk categories',
    fields: [
      {
        path: 'risk.cuts.medium',
        label: 'Medium from (score)',
        kind: 'optional-number',
        hint: 'Empty: the cuts of the model',
      },
      {
        path: 'risk.cuts.high',
        label: 'High from (score)',
        kind: 'optional-number',
        hint: 'Empty: the cuts of the model',
      },
      { path: 'risk.borderlineBand', label: 'Borderline band (± around the threshold)', kind: 'number' },
    ],
  },
  {
    title: 'Alert rules (monitoring)',
    fields: [
      { path: 'monitoring.recallAlertBelow', label: 'Alert when weekly recall is below', kind: 'number' },
      { path: 'monitoring.consecutiveWeeks', label: 'for this many weeks in a row', kind: 'number' },
      { path: 'monitoring.minLabelsPerWeek', label: 'Fewest labels to judge a week', kind: 'number' },
    ],
  },
  {
    title: 'Drift',
    fields: [
      { path: 'drift.enabled', label: 'Check every batch for drift', kind: 'boolean' },
      {
        path: 'drift.method',
        label: 'Test for every feature',
        kind: 'choice',
        choices: ['auto', 'chisquare', 'chisquare-contingency', 'z', 'jensenshannon'],
      },
      {
        path: 'drift.threshold',
        label: 'Threshold of that test',
        kind: 'optional-number',
        hint: "Empty: the test's default",
      },
      { path: 'drift.shareThreshold', label: 'Dataset drift from this share of features', kind: 'number' },
      { path: 'drift.countThreshold', label: '… or this many features', kind: 'number' },
      { path: 'drift.rule', label: 'Rule', kind: 'choice', choices: ['either', 'share', 'count', 'both'] },
    ],
  },
  {
    title: 'Follow-up',
    fields: [
      {
        path: 'followUp.overdueDays',
        label: 'Overdue after days without a result',
        kind: 'number',
        hint: 'Patients recommended for screening',
      },
    ],
  },
  {
    title: 'Sessions',
    fields: [{ path: 'session.autoLockMinutes', label: 'Lock after minutes without input (0: never)', kind: 'number' }],
  },
  {
    title: 'Retention and backups',
    fields: [
      {
        path: 'retention.patientRowsMonths',
        label: 'Patient rows may be purged after months',
        kind: 'optional-number',
        hint: 'Empty: keep them all. Purging is below, under Data.',
      },
      { path: 'backup.keep', label: 'Backups kept', kind: 'number' },
    ],
  },
  {
    title: 'Local scoring API',
    fields: [
      {
        path: 'api.enabled',
        label: 'Run the scoring API on 127.0.0.1 while the app is open',
        kind: 'boolean',
        hint: 'Other programs on this computer score patients with a key from Admin > API clients',
      },
      { path: 'api.port', label: 'Port', kind: 'number' },
      {
        path: 'api.rateLimitPerMinute',
        label: 'Requests a minute per client',
        kind: 'number',
        hint: 'Bursts up to this many, refilled evenly',
      },
      { path: 'api.maxPatients', label: 'Most patients in one request', kind: 'number' },
      { path: 'api.maxBodyBytes', label: 'Largest request body (bytes)', kind: 'number' },
    ],
  },
];

/** The value at a key path; the risk cuts are null as a pair, so either cut reads empty then. */
export function readSetting(values: SettingsValues, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | null)?.[key] ?? null, values);
}

/** A copy with the value at a key path replaced; setting one risk cut fills the other from `fallbackCuts`. */
export function writeSetting(
  values: SettingsValues,
  path: string,
  value: unknown,
  fallbackCuts: { medium: number; high: number },
): SettingsValues {
  const next = structuredClone(values);
  if (path.startsWith('risk.cuts.')) {
    const key = path.slice('risk.cuts.'.length) as 'medium' | 'high';
    const cuts = next.risk.cuts ?? { ...fallbackCuts };
    next.risk.cuts = value === null ? null : { ...cuts, [key]: value as number };
    return next;
  }
  const keys = path.split('.');
  const last = keys.pop() as string;
  const parent = keys.reduce<Record<string, unknown>>(
    (node, key) => node[key] as Record<string, unknown>,
    next as unknown as Record<string, unknown>,
  );
  parent[last] = value;
  return next;
}
