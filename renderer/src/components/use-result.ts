import type { ApiError, Result } from '@contract/result';
import { useCallback, useEffect, useState } from 'react';

/**
 * Loads one contract call on mount (and on `reload`, or when `load` changes), keeping the value and the error as
 * state. A null `load` waits: nothing to ask yet.
 */
export function useResult<T>(load: (() => Promise<Result<T>>) | null): {
  value: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => Promise<void>;
  setValue: (value: T) => void;
} {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const reload = useCallback(async () => {
    if (!load) return;
    setLoading(true);
    const result = await load();
    setLoading(false);
    if (result.ok) {
      setValue(result.value);
      setError(null);
    } else setError(result.error);
  }, [load]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { value, error, loading, reload, setValue };
}
