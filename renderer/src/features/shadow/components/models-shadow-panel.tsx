import type { ModelVersionDto } from '@contract/admin-outputs';
import { useCallback } from 'react';
import { useApi } from '../../../app/api-context';
import { useResult } from '../../../components/use-result';
import { ShadowControl } from './shadow-control';

/** In the Models view: put a listed candidate in shadow (the comparison is in the Shadow view). */
export function ModelsShadowPanel({ versions }: { versions: readonly ModelVersionDto[] }) {
  const api = useApi();
  const status = useResult(useCallback(() => api.shadowStatus({}), [api]));
  return <ShadowControl versions={versions} status={status.value} onChanged={status.setValue} />;
}
