import { createLocalJWKSet, jwtVerify, SignJWT, type JSONWebKeySet, type JWK, type CryptoKey, type KeyObject } from 'jose';
import { UnauthenticatedError } from './errors.ts';
import type { Clock } from './ports.ts';
import { newId } from './random-secrets.ts';

/** Access tokens are ES256 only: verification pins the algorithm, so alg:none or HS256 never pass. */
export const ACCESS_TOKEN_ALGORITHM = 'ES256';
export const ACCESS_TOKEN_TTL_SECONDS = 900;

export interface SigningKeys {
  readonly current: { readonly kid: string; readonly privateKey: CryptoKey | KeyObject };
  /** The current public key and, during a rotation, the previous ones until their tokens expire. */
  readonly publicJwks: readonly JWK[];
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
  readonly #keys: SigningKeys;
  readonly #settings: TokenSettings;
  readonly #clock: Clock;
  readonly #jwks: ReturnType<typeof createLocalJWKSet>;

  constructor(keys: SigningKeys, settings: TokenSettings, clock: Clock) {
    this.#keys = keys;
    this.#settings = settings;
    this.#clock = clock;
    this.#jwks = createLocalJWKSet(this.jwks());
  }

  async issue(memberId: string, sid: string): Promise<{ accessToken: string; expiresIn: number }> {
    const iat = Math.floor(this.#clock.now() / 1000);
    const accessToken = await new SignJWT({ sid })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid: this.#keys.current.kid, typ: 'at+jwt' })
      .setIssuer(this.#settings.issuer)
      .setAudience(this.#settings.audience)
      .setSubject(memberId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
      .setJti(newId())
      .sign(this.#keys.current.privateKey);
    return { accessToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
  }

  /** Every failure is one 401; the reason stays in `cause` for the logs. */
  async verify(token: string): Promise<AccessTokenClaims> {
    try {
      const { payload } = await jwtVerify(token, this.#jwks, {
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

  jwks(): JSONWebKeySet {
    return { keys: this.#keys.publicJwks.map((k) => ({ ...k, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' })) };
  }
}
