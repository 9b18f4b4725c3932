import type { JWK } from 'jose';
import { type TokenSettings, TokenSigner, TokenVerifier } from '../../lambdas/domain/access-tokens.ts';
import type { Clock } from '../../lambdas/domain/ports.ts';
import type { SigningKey } from '../../lambdas/domain/signing-keys.ts';

/** Both halves of the token keys, as the tests that issue and verify with one key pair hold them. */
export interface AccessTokenKeys {
  signingKey(): Promise<SigningKey>;
  publicKeys(reloadIfOlderThanMs?: number): Promise<readonly JWK[]>;
}

/**
 * A signer and a verifier over the same keys, for the tests that issue a token and check it: the
 * functions never hold both (the signer only where sessions are opened).
 */
export function accessTokens(keys: AccessTokenKeys, settings: TokenSettings, clock: Clock) {
  const signer = new TokenSigner(() => keys.signingKey(), settings, clock);
  const verifier = new TokenVerifier(keys, settings, clock);
  return {
    issue: (memberId: string, sid: string) => signer.issue(memberId, sid),
    verify: (token: string) => verifier.verify(token),
    jwks: () => verifier.jwks(),
  };
}

export type AccessTokens = ReturnType<typeof accessTokens>;
