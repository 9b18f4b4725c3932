import createClient, { type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './api-types.ts';

/**
 * The typed client of the member-portal-auth API (openapi-fetch over the generated types): every
 * path, body and answer checked by the compiler. Credentials are included, so that the browser
 * sends and keeps the refresh cookie on the session routes.
 *
 *   const api = createApiClient('https://auth.mutuelle.fr');
 *   const { data, error } = await api.POST('/v1/login', { body: { nir, code } });
 */
export function createApiClient(baseUrl: string, options: Omit<ClientOptions, 'baseUrl'> = {}) {
  return createClient<paths>({ baseUrl, credentials: 'include', ...options });
}

export type ApiClient = ReturnType<typeof createApiClient>;
export type Schemas = components['schemas'];
export type ApiError = Schemas['Error'];
export type LoginAnswer = Schemas['LoginResponse'];
export type { paths };
