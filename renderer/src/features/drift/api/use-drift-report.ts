import type { DriftResult } from '@contract/admin-outputs';
import type { ApiError } from '@contract/result';
import { useEffect, useState } from 'react';
import { useApi } from '../../../app/api-context';

/** The drift report of one batch, reloaded when the batch changes; the last good report stays while a new one loads. */
export function useDriftReport(batchId: string | null): { result: DriftResult | null; error: ApiError | null } {
  const api = useApi();
  const [result, setResult] = useState<DriftResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (!batchId) return;
    void (async () => {
      const loaded = await api.driftReport({ batchId });
      if (loaded.ok) {
        setResult(loaded.value);
        setError(null);
      } else setError(loaded.error);
    })();
  }, [api, batchId]);

  return { result, error };
}
