import type { ApiClientDto } from '../../api/api-client-methods';
import { fail, ok } from '../../api/result';
import { createApiClient, revokeApiClient } from '../../auth/api-keys';
import type { ApiClientRecord } from '../../store/api-client-repository';
import { StoreError } from '../../store/store-error';
import type { AppContext } from '../app-context';
import type { GroupHandlers } from '../dispatch';

/** Clients of the local scoring API: created (key shown once), listed, revoked; core/auth/api-keys audits each. */
export function apiClientHandlers(app: AppContext): GroupHandlers<'apiClients'> {
  const { store } = app;
  const expected = (error: unknown) => {
    if (!(error instanceof StoreError)) throw error;
    const code = error.code === 'conflict' ? 'conflict' : error.code === 'not-found' ? 'not-found' : 'invalid-argument';
    return fail(code, `${error.message}.`);
  };
  return {
    async createApiClient(arg, ctx) {
      try {
        const { client, key } = createApiClient(store, arg.name, app.actor(ctx).username);
        return ok({ client: apiClientDto(client), key });
      } catch (error) {
        return expected(error);
      }
    },
    async listApiClients() {
      return ok(store.apiClients.list().map(apiClientDto));
    },
    async revokeApiClient(arg, ctx) {
      try {
        return ok(apiClientDto(revokeApiClient(store, arg.name, app.actor(ctx).username)));
      } catch (error) {
        return expected(error);
      }
    },
  };
}

function apiClientDto(c: ApiClientRecord): ApiClientDto {
  return {
    name: c.name,
    keyPrefix: c.keyPrefix,
    createdAt: c.createdAt,
    createdBy: c.createdBy,
    lastUsedAt: c.lastUsedAt,
    revokedAt: c.revokedAt,
  };
}
