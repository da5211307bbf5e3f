import type { ApiClient } from '@contract/api-client';
import { createContext, useContext } from 'react';

export const ApiContext = createContext<ApiClient | null>(null);

export function useApiClient(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApiClient outside ApiContext');
  return client;
}

export function useApi(): ApiClient['api'] {
  return useApiClient().api;
}
