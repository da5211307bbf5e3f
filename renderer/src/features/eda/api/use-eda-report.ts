import type { EdaResult } from '@contract/admin-outputs';
import type { ApiError } from '@contract/result';
import { useCallback, useState } from 'react';
import { useApi } from '../../../app/api-context';
import { useResult } from '../../../components/use-result';

/** The training data's report on mount; a CSV the admin loads replaces it until they go back. */
export function useEdaReport() {
  const api = useApi();
  const training = useResult(useCallback(() => api.edaReport({ source: 'training' }), [api]));
  const [loaded, setLoaded] = useState<EdaResult | null>(null);
  const [fileError, setFileError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const analyseFile = async (file: { fileName: string; content: string }) => {
    setBusy(true);
    const result = await api.edaReport({ source: 'file', ...file });
    setBusy(false);
    if (result.ok) {
      setLoaded(result.value);
      setFileError(null);
    } else setFileError(result.error);
  };

  return {
    shown: loaded ?? training.value,
    fromFile: loaded !== null,
    busy,
    error: fileError ?? training.error,
    analyseFile,
    backToTraining: () => setLoaded(null),
  };
}
