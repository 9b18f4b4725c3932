import { createLocalJWKSet, type JSONWebKeySet, type JWK, jwtVerify, SignJWT } from 'jose';
import { UnauthenticatedError } from './errors.ts';
import type { Clock } from './ports.ts';
import { newId } from './random-secrets.ts';
import type { SigningKey } from './signing-keys.ts';

/** Access tokens are ES256 only: verification pins the algorithm, so alg:none or HS256 never pass. */
export const ACCESS_TOKEN_ALGORITHM = 'ES256';
export const ACCESS_TOKEN_TTL_SECONDS = 900;

/**
 * Where the keys come from, each loaded only when used — a function that only verifies tokens never
 * asks for the private key — and re-read now and then, so that a rotation needs no redeploy.
 */
export interface AccessTokenKeys {
  signingKey(): Promise<SigningKey>;
  /** The current public key and, after a rotation, the previous ones until their tokens expire. */
  publicKeys(): Promise<readonly JWK[]>;
}

export interface AccessTokenClaims {
  readonly sub: string;
  readonly sid: string;
  readonly iat: number;
  readonly exp: number;
  readonly jti: string;
}

export interface TokenSettings {
  readonly issuer: string;
  readonly audience: string;
}

export class AccessTokens {
  readonly #keys: AccessTokenKeys;
  readonly #settings: TokenSettings;
  readonly #clock: Clock;
  /** The key set built from the last public keys read (rebuilt when they change). */
  #verifier: { readonly keys: readonly JWK[]; readonly set: ReturnType<typeof createLocalJWKSet> } | undefined;

  constructor(keys: AccessTokenKeys, settings: TokenSettings, clock: Clock) {
    this.#keys = keys;
    this.#settings = settings;
    this.#clock = clock;
  }

  async issue(memberId: string, sid: string): Promise<{ accessToken: string; expiresIn: number }> {
    const { kid, privateKey } = await this.#keys.signingKey();
    const iat = Math.floor(this.#clock.now() / 1000);
    const accessToken = await new SignJWT({ sid })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid, typ: 'at+jwt' })
      .setIssuer(this.#settings.issuer)
      .setAudience(this.#settings.audience)
      .setSubject(memberId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
      .setJti(newId())
      .sign(privateKey);
    return { accessToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
  }

  /** Every failure is one 401; the reason stays in `cause` for the logs. */
  async verify(token: string): Promise<AccessTokenClaims> {
    try {
      const { payload } = await jwtVerify(token, await this.#keySet(), {
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        issuer: this.#settings.issuer,
        audience: this.#settings.audience,
        typ: 'at+jwt',
        requiredClaims: ['sub', 'sid', 'iat', 'exp', 'jti'],
        currentDate: new Date(this.#clock.now()),
      });
      const { sub, sid, iat, exp, jti } = payload;
      if (typeof sid !== 'string' || !sub || !iat || !exp || !jti || exp - iat > ACCESS_TOKEN_TTL_SECONDS) {
        throw new Error('unexpected claims');
      }
      return { sub, sid, iat, exp, jti };
    } catch (cause) {
      throw new UnauthenticatedError('access token rejected', { cause });
    }
  }

  async jwks(): Promise<JSONWebKeySet> {
    return { keys: (await this.#keys.publicKeys()).map((k) => ({ ...k, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' })) };
  }

  async #keySet(): Promise<ReturnType<typeof createLocalJWKSet>> {
    const keys = await this.#keys.publicKeys();
    if (this.#verifier?.keys !== keys) this.#verifier = { keys, set: createLocalJWKSet({ keys: [...keys] }) };
    return this.#verifier.set;
  }
}
