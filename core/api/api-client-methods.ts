import { z } from 'zod';
import { method } from './method-spec';

/** The name the audit trail shows as `api:<name>`. */
export const API_CLIENT_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;
export const API_CLIENT_NAME_RULE = '1 to 64 letters, digits, spaces, dots, dashes or underscores';
const ClientName = z.string().regex(API_CLIENT_NAME, API_CLIENT_NAME_RULE);

export const CreateApiClientInput = z.strictObject({ name: ClientName });
export const ApiClientRef = z.strictObject({ name: ClientName });

/** A client of the local scoring API, as listed (never its key). */
export interface ApiClientDto {
  name: string;
  /** The key's public prefix, to tell keys apart. */
  keyPrefix: string;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The new client and its key: shown this once, never stored (only its hash is). */
export interface CreatedApiClient {
  client: ApiClientDto;
  key: string;
}

/** Clients of the local scoring API (npm run serve); every change audited. */
export const apiClientMethods = {
  createApiClient: method(CreateApiClientInput, 'admin').returns<CreatedApiClient>(),
  listApiClients: method(z.strictObject({}), 'admin').returns<ApiClientDto[]>(),
  /** The next call with its key is refused. */
  revokeApiClient: method(ApiClientRef, 'admin').returns<ApiClientDto>(),
} as const;
