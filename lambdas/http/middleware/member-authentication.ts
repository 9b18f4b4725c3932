import { type ApiMiddleware, headerOf, type MemberAuthenticator } from './types.ts';

/**
 * For the routes declared `auth: 'member'`: the bearer access token is checked before the route runs
 * (a 401 with `WWW-Authenticate: Bearer` otherwise), and the route gets the principal, never the token.
 */
export function memberAuthentication(guard: MemberAuthenticator): ApiMiddleware {
  return {
    before: async (request) => {
      if (request.internal.preflight) return;
      request.internal.principal = await guard.authenticate(headerOf(request.event, 'authorization'));
    },
  };
}
