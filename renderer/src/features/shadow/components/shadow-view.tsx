import { useCallback, useState } from 'react';
import { useApi } from '../../../app/api-context';
import { ErrorBanner } from '../../../components/error-banner';
import { useResult } from '../../../components/use-result';
import { ShadowComparisonPanels } from './shadow-comparison-panels';
import { ShadowControl } from './shadow-control';

/** Shadow scoring: the candidate scored beside production on every batch, and how the two compare. */
export function ShadowView() {
  const api = useApi();
  const [version, setVersion] = useState<string | undefined>(undefined);
  const status = useResult(useCallback(() => api.shadowStatus(version ? { version } : {}), [api, version]));
  const models = useResult(useCallback(() => api.listModels({}), [api]));
  const data = status.value;
  return (
    <div className="stack">
      <h1>Shadow comparison</h1>
      <ErrorBanner error={status.error ?? models.error} />
      <ShadowControl versions={models.value?.versions ?? []} status={data} onChanged={status.setValue} />
      {data && data.comparedVersions.length > 1 && (
        <label>
          Compare version{' '}
          <select
            value={data.comparison?.shadowVersion ?? ''}
            onChange={(event) => setVersion(event.target.value || undefined)}
          >
            {data.comparedVersions.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
      )}
      {data?.comparison ? (
        <ShadowComparisonPanels comparison={data.comparison} />
      ) : (
        data && <p className="muted">No batch has been scored in shadow yet.</p>
      )}
    </div>
  );
}
