import { type ApiClient, type ApiError, createApiClient } from '../../client/api-client.ts';
import { language } from './i18n.ts';

/** What can go wrong with a call, as the pages tell it. */
export type Problem =
  | { readonly kind: 'LOCKED'; readonly minutes: number }
  | { readonly kind: 'DEACTIVATED' }
  | { readonly kind: 'UNAVAILABLE' }
  | { readonly kind: 'SESSION_ENDED' }
  | { readonly kind: 'REFUSED'; readonly error: ApiError['error'] };

export type Outcome<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly problem: Problem };

let client: ApiClient | undefined;

/** The typed client (generated from the OpenAPI document), asking for answers in the member's language. */
export function api(): ApiClient {
  if (!client) throw new Error('the portal is not configured yet');
  return client;
}

export function configureApi(baseUrl: string): void {
  client = createApiClient(baseUrl.replace(/\/+$/, ''), {
    fetch: (request: Request) => {
      request.headers.set('Accept-Language', language());
      return fetch(request);
    },
  });
}

/** Runs a call of the typed client; an unreachable API, a 5xx, a lock or a deactivation become a Problem. */
export async function attempt<T>(
  call: () => Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<Outcome<T>> {
  let result: Awaited<ReturnType<typeof call>>;
  try {
    result = await call();
  } catch {
    return { ok: false, problem: { kind: 'UNAVAILABLE' } };
  }
  const { response } = result;
  if (response.ok) return { ok: true, data: result.data as T };
  const error = (result.error as Partial<ApiError> | undefined)?.error;
  if (response.status === 429) {
    const seconds = Number(response.headers.get('Retry-After') ?? '60');
    return { ok: false, problem: { kind: 'LOCKED', minutes: Math.max(1, Math.ceil(seconds / 60)) } };
  }
  if (error?.code === 'ACCOUNT_DEACTIVATED') return { ok: false, problem: { kind: 'DEACTIVATED' } };
  if (error?.code === 'SESSION_EXPIRED' || error?.code === 'UNAUTHENTICATED')
    return { ok: false, problem: { kind: 'SESSION_ENDED' } };
  if (response.status >= 500 || !error) return { ok: false, problem: { kind: 'UNAVAILABLE' } };
  return { ok: false, problem: { kind: 'REFUSED', error } };
}
