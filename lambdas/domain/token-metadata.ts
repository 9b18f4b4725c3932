import { ACCESS_TOKEN_ALGORITHM } from './access-tokens.ts';

/**
 * Authorization server metadata (RFC 8414), the fields that apply to a service that issues access
 * tokens but runs no OAuth flow: what the insurer's other APIs (an API Gateway JWT authorizer, an
 * OIDC library) need to verify its tokens from configuration alone.
 */
export function tokenMetadata(issuer: string): Record<string, unknown> {
  const base = issuer.replace(/\/+$/, '');
  return {
    issuer,
    jwks_uri: `${base}/.well-known/jwks.json`,
    id_token_signing_alg_values_supported: [ACCESS_TOKEN_ALGORITHM],
    subject_types_supported: ['public'],
    response_types_supported: [],
    grant_types_supported: [],
    claims_supported: ['iss', 'aud', 'sub', 'iat', 'exp', 'jti', 'sid'],
    service_documentation: `${base}/v1/openapi.json`,
  };
}
