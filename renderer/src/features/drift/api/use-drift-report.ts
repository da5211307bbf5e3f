import type { DriftResult } from '@contract/admin-outputs';
import type { ApiError } from '@contract/result';
import { useMemo } from 'react';
import { useApi } from '../../../app/api-context';
import { useResult } from '../../../components/use-result';

/** The drift report of one batch, reloaded when the batch changes; the last good report stays while a new one loads. */
export function useDriftReport(batchId: string | null): { result: DriftResult | null; error: ApiError | null } {
  const api = useApi();
  const report = useResult(useMemo(() => (batchId ? () => api.driftReport({ batchId }) : null), [api, batchId]));
  return { result: report.value, error: report.error };
}
