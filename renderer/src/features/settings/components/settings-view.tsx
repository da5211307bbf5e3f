import type { ApiError } from '@contract/result';
import type { SettingChangeDto, SettingsValues } from '@contract/settings-methods';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useApi } from '../../../app/api-context';
import { ErrorBanner } from '../../../components/error-banner';
import { formatDateTime } from '../../../components/format';
import { useResult } from '../../../components/use-result';
import { BackupsPanel } from './backups-panel';
import { RetentionPanel } from './retention-panel';
import { readSetting, SETTING_GROUPS, type SettingField, writeSetting } from './settings-fields';

const shown = (value: unknown) => (value === null || value === undefined ? 'empty' : JSON.stringify(value));

function FieldInput({
  field,
  value,
  onValue,
  problem,
}: {
  field: SettingField;
  value: unknown;
  onValue: (value: unknown) => void;
  problem: string | undefined;
}) {
  const id = `setting-${field.path.replaceAll('.', '-')}`;
  const input = (() => {
    if (field.kind === 'boolean')
      return <input id={id} type="checkbox" checked={value === true} onChange={(e) => onValue(e.target.checked)} />;
    if (field.kind === 'choice')
      return (
        <select id={id} value={String(value)} onChange={(e) => onValue(e.target.value)}>
          {field.choices?.map((choice) => (
            <option key={choice} value={choice}>
              {choice}
            </option>
          ))}
        </select>
      );
    return (
      <input
        id={id}
        type="number"
        step="any"
        value={value === null || value === undefined ? '' : String(value)}
        placeholder={field.hint}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onChange={(e) => {
          const text = e.target.value.trim();
          // An empty box is "not set" where the setting allows it; the server refuses it elsewhere.
          onValue(text === '' ? null : Number(text));
        }}
      />
    );
  })();
  return (
    <div className="field">
      <label htmlFor={id}>{field.label}</label>
      {input}
      {problem && (
        <span id={`${id}-problem`} className="field-problem" role="alert">
          {problem}
        </span>
      )}
    </div>
  );
}

/** The settings an admin may change, grouped; Save shows what changed, and a refusal marks the fields it names. */
export function SettingsView() {
  const api = useApi();
  const stored = useResult(useCallback(() => api.getSettings({}), [api]));
  const models = useResult(useCallback(() => api.listModels({}), [api]));
  const [draft, setDraft] = useState<SettingsValues | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<{ version: number; changes: SettingChangeDto[] } | null>(null);
  useEffect(() => {
    if (stored.value) setDraft(stored.value.values);
  }, [stored.value]);

  const production = models.value?.versions.find((v) => v.location === 'production');
  const modelCuts = production?.riskCuts ?? { medium: 0.35, high: 0.6 };
  const problems = new Map((error?.problems ?? []).map((p) => [p.path, p.message]));
  const problemOf = (path: string) =>
    problems.get(path) ?? (path.startsWith('risk.cuts.') ? problems.get('risk.cuts') : undefined);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!draft || !stored.value) return;
    setSaved(null);
    const result = await api.updateSettings({ values: draft, expectedVersion: stored.value.version });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(null);
    setSaved({ version: result.value.settings.version, changes: result.value.changes });
    stored.setValue(result.value.settings);
  };

  return (
    <div className="stack">
      <h1>Settings</h1>
      <ErrorBanner error={stored.error ?? error} />
      {stored.value && (
        <p className="muted">
          Version {stored.value.version}, saved by {stored.value.updatedBy} on {formatDateTime(stored.value.updatedAt)}.
          Changes apply at once, without restarting, and are recorded in the audit log.
        </p>
      )}
      {saved && (
        <div className="banner banner-ok" role="status" aria-label="Saved changes">
          {saved.changes.length === 0 ? (
            'Nothing changed.'
          ) : (
            <>
              Saved as version {saved.version}:
              <ul>
                {saved.changes.map((c) => (
                  <li key={c.key}>
                    {c.key}: {shown(c.before)} → {shown(c.after)}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      {draft && (
        <form className="stack" onSubmit={save} aria-label="Settings">
          {SETTING_GROUPS.map((group) => (
            <fieldset key={group.title} className="panel">
              <legend>{group.title}</legend>
              {group.fields.map((field) => (
                <FieldInput
                  key={field.path}
                  field={field}
                  value={readSetting(draft, field.path)}
                  problem={problemOf(field.path)}
                  onValue={(value) => setDraft(writeSetting(draft, field.path, value, modelCuts))}
                />
              ))}
            </fieldset>
          ))}
          <div>
            <button type="submit" className="primary">
              Save settings
            </button>
          </div>
        </form>
      )}
      <RetentionPanel onPurged={() => void stored.reload()} />
      <BackupsPanel
        onRestored={() => {
          setSaved(null);
          setError(null);
          void stored.reload();
        }}
      />
    </div>
  );
}
