import { base64url, createLocalJWKSet, errors, type JSONWebKeySet, type JWK, jwtVerify } from 'jose';
import { UnauthenticatedError } from './errors.ts';
import type { Clock } from './ports.ts';
import { newId } from './random-secrets.ts';
import type { SigningKey } from './signing-keys.ts';

/** Access tokens are ES256 only: verification pins the algorithm, so alg:none or HS256 never pass. */
export const ACCESS_TOKEN_ALGORITHM = 'ES256';
const ACCESS_TOKEN_TTL_SECONDS = 900;

/**
 * Where the public keys come from, re-read now and then, so that a rotation needs no redeploy. (The
 * signing key is the signer's alone: a function that only verifies tokens holds no way to ask for it.)
 */
export interface PublicKeySource {
  /**
   * The current public key and, after a rotation, the previous ones until their tokens expire.
   * `reloadIfOlderThanMs`: read them again if the copy in hand is older (a token names a key not
   * known yet: a rotation this function has not seen).
   */
  publicKeys(reloadIfOlderThanMs?: number): Promise<readonly JWK[]>;
}

/** How often at most a token naming an unknown key makes a function read the public keys again. */
const UNKNOWN_KEY_RELOAD_MS = 60_000;

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

/**
 * Issues access tokens: a compact JWS (RFC 7515) put together here because the private key never
 * comes to us — KMS signs the signing input (jose signs only with a key it holds). Only the functions
 * that open or refresh sessions hold one.
 */
export class TokenSigner {
  readonly #signingKey: () => Promise<SigningKey>;
  readonly #settings: TokenSettings;
  readonly #clock: Clock;

  constructor(signingKey: () => Promise<SigningKey>, settings: TokenSettings, clock: Clock) {
    this.#signingKey = signingKey;
    this.#settings = settings;
    this.#clock = clock;
  }

  async issue(memberId: string, sid: string): Promise<{ accessToken: string; expiresIn: number }> {
    const key = await this.#signingKey();
    const iat = Math.floor(this.#clock.now() / 1000);
    const header = { alg: ACCESS_TOKEN_ALGORITHM, kid: key.kid, typ: 'at+jwt' };
    const claims = {
      sid,
      iss: this.#settings.issuer,
      aud: this.#settings.audience,
      sub: memberId,
      iat,
      exp: iat + ACCESS_TOKEN_TTL_SECONDS,
      jti: newId(),
    };
    const input = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(claims))}`;
    const signature = await key.sign(new TextEncoder().encode(input));
    return { accessToken: `${input}.${base64url.encode(signature)}`, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
  }
}

/** Verifies access tokens (jose, the algorithm pinned) and publishes the public keys: every function may. */
export class TokenVerifier {
  readonly #keys: PublicKeySource;
  readonly #settings: TokenSettings;
  readonly #clock: Clock;
  /** The key set built from the last public keys read (rebuilt when they change). */
  #verifier: { readonly keys: readonly JWK[]; readonly set: ReturnType<typeof createLocalJWKSet> } | undefined;

  constructor(keys: PublicKeySource, settings: TokenSettings, clock: Clock) {
    this.#keys = keys;
    this.#settings = settings;
    this.#clock = clock;
  }

  /** Every failure is one 401; the reason stays in `cause` for the logs. */
  async verify(token: string): Promise<AccessTokenClaims> {
    try {
      return await this.#verifyWith(token, await this.#keySet());
    } catch (cause) {
      // A key rotated since this function last read the public keys: read them again (once a minute at most).
      if (cause instanceof errors.JWKSNoMatchingKey) {
        try {
          return await this.#verifyWith(token, await this.#keySet(UNKNOWN_KEY_RELOAD_MS));
        } catch (again) {
          throw new UnauthenticatedError('access token rejected', { cause: again });
        }
      }
      throw new UnauthenticatedError('access token rejected', { cause });
    }
  }

  async #verifyWith(token: string, keySet: ReturnType<typeof createLocalJWKSet>): Promise<AccessTokenClaims> {
    const { payload } = await jwtVerify(token, keySet, {
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
  }

  async jwks(): Promise<JSONWebKeySet> {
    return { keys: (await this.#keys.publicKeys()).map((k) => ({ ...k, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' })) };
  }

  async #keySet(reloadIfOlderThanMs?: number): Promise<ReturnType<typeof createLocalJWKSet>> {
    const keys = await this.#keys.publicKeys(reloadIfOlderThanMs);
    if (this.#verifier?.keys !== keys) this.#verifier = { keys, set: createLocalJWKSet({ keys: [...keys] }) };
    return this.#verifier.set;
  }
}
