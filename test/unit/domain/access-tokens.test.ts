import { createHmac, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  type CryptoKey,
  calculateJwkThumbprint,
  decodeProtectedHeader,
  exportJWK,
  importJWK,
  type JWK,
  SignJWT,
} from 'jose';
import { UnauthenticatedError } from '../../../lambdas/domain/errors.ts';
import {
  localSigner,
  newSigningKey,
  rotateSigningKey,
  type SigningKeyStore,
  type SigningSecret,
  signingKeyOf,
} from '../../../lambdas/domain/signing-keys.ts';
import { refreshing } from '../../../lambdas/runtime/refreshing.ts';
import { type AccessTokenKeys, type AccessTokens, accessTokens } from '../../support/access-tokens.ts';

const settings = { issuer: 'https://auth.example', audience: 'member-portal' };
const now = Date.UTC(2026, 10, 26, 8, 0, 0);
const clock = { now: () => now };

async function keys(): Promise<
  AccessTokenKeys & { privateJwk: JWK; publicJwk: JWK; kid: string; imported: CryptoKey }
> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privateJwk = privateKey.export({ format: 'jwk' }) as JWK;
  const { d: _d, ...publicJwk } = privateJwk;
  const kid = await calculateJwkThumbprint(publicJwk);
  const imported = (await importJWK(privateJwk, 'ES256')) as CryptoKey;
  const published = [{ ...publicJwk, kid }];
  return {
    signingKey: async () => localSigner({ ...privateJwk, kid }),
    imported,
    publicKeys: async () => published,
    privateJwk,
    publicJwk: published[0]!,
    kid,
  };
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('access tokens', () => {
  it('carry the contract claims, an opaque sub and expire within 15 minutes', async () => {
    const tokens = accessTokens(await keys(), settings, clock);
    const { accessToken, expiresIn } = await tokens.issue('member-opaque-id', 'sid-1');
    const claims = await tokens.verify(accessToken);
    expect(expiresIn).toBe(900);
    expect(claims).toMatchObject({ sub: 'member-opaque-id', sid: 'sid-1', iat: now / 1000, exp: now / 1000 + 900 });
    expect(claims.jti).toMatch(/^[\w-]{22}$/);
    const header = JSON.parse(Buffer.from(accessToken.split('.')[0]!, 'base64url').toString());
    expect(header).toMatchObject({ alg: 'ES256', kid: expect.any(String) });
  });

  it('rejects alg:none', async () => {
    const tokens = accessTokens(await keys(), settings, clock);
    const { accessToken } = await tokens.issue('m', 's');
    const payload = accessToken.split('.')[1];
    const unsigned = `${b64({ alg: 'none', typ: 'at+jwt' })}.${payload}.`;
    await expect(tokens.verify(unsigned)).rejects.toThrow(UnauthenticatedError);
  });

  it('rejects a token signed with HS256 using the public key', async () => {
    const k = await keys();
    const tokens = accessTokens(k, settings, clock);
    const { accessToken } = await tokens.issue('m', 's');
    const payload = accessToken.split('.')[1];
    const header = b64({ alg: 'HS256', kid: k.kid, typ: 'at+jwt' });
    const mac = createHmac('sha256', JSON.stringify(k.publicJwk)).update(`${header}.${payload}`).digest('base64url');
    await expect(tokens.verify(`${header}.${payload}.${mac}`)).rejects.toThrow(UnauthenticatedError);
  });

  it('rejects a validly signed token of another type: only access tokens (typ at+jwt) authorise', async () => {
    const k = await keys();
    const tokens = accessTokens(k, settings, clock);
    const { imported: privateKey, kid } = k;
    const idToken = await new SignJWT({ sid: 's' })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setSubject('m')
      .setIssuedAt(now / 1000)
      .setExpirationTime(now / 1000 + 600)
      .setJti('j')
      .sign(privateKey);
    await expect(tokens.verify(idToken)).rejects.toThrow(UnauthenticatedError);
  });

  it('rejects a token signed by another key', async () => {
    const mine = accessTokens(await keys(), settings, clock);
    const theirs = accessTokens(await keys(), settings, clock);
    const { accessToken } = await theirs.issue('m', 's');
    await expect(mine.verify(accessToken)).rejects.toThrow(UnauthenticatedError);
  });

  it('rejects a token for another audience or issuer', async () => {
    const k = await keys();
    const tokens = accessTokens(k, settings, clock);
    const otherAudience = accessTokens(k, { ...settings, audience: 'another-app' }, clock);
    const otherIssuer = accessTokens(k, { ...settings, issuer: 'https://evil.example' }, clock);
    await expect(tokens.verify((await otherAudience.issue('m', 's')).accessToken)).rejects.toThrow(
      UnauthenticatedError,
    );
    await expect(tokens.verify((await otherIssuer.issue('m', 's')).accessToken)).rejects.toThrow(UnauthenticatedError);
  });

  it('rejects an expired token', async () => {
    const k = await keys();
    const issued = await accessTokens(k, settings, clock).issue('m', 's');
    const later = accessTokens(k, settings, { now: () => now + 901_000 });
    await expect(later.verify(issued.accessToken)).rejects.toThrow(UnauthenticatedError);
  });

  it('rejects a tampered payload', async () => {
    const tokens = accessTokens(await keys(), settings, clock);
    const [h, p, s] = (await tokens.issue('member-a', 's')).accessToken.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const tampered = `${h}.${b64({ ...claims, sub: 'member-b' })}.${s}`;
    await expect(tokens.verify(tampered)).rejects.toThrow(UnauthenticatedError);
  });

  it('rejects a validly signed token whose lifetime exceeds 15 minutes', async () => {
    const k = await keys();
    const tokens = accessTokens(k, settings, clock);
    const key = await importJWK(k.privateJwk, 'ES256');
    const long = await new SignJWT({ sid: 's' })
      .setProtectedHeader({ alg: 'ES256', kid: k.kid, typ: 'at+jwt' })
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setSubject('m')
      .setIssuedAt(now / 1000)
      .setExpirationTime(now / 1000 + 24 * 3600)
      .setJti('j')
      .sign(key);
    await expect(tokens.verify(long)).rejects.toThrow(UnauthenticatedError);
  });

  it('publishes public keys only in the JWKS', async () => {
    const k = await keys();
    const jwks = await accessTokens(k, settings, clock).jwks();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(jwks.keys[0]).toMatchObject({ kid: k.kid, alg: 'ES256', use: 'sig' });
    void exportJWK;
  });
});

describe('a rotation of the signing key', () => {
  it('a verifier that has not seen the rotation yet reads the keys again for a token naming an unknown key, rather than refusing members for up to 5 minutes — at most once a minute', async () => {
    const store = memoryStore(await newSigningKey());
    let now = Date.UTC(2026, 10, 26, 8, 0, 0);
    await rotateSigningKey(store);
    // A signer that read the new key right away; the verifier's copy of the public keys is 30 s old.
    now += 30_000;
    const signedWithNewKey = (await tokensOver(store, () => now).issue('m', 's')).accessToken;
    let reads = 0;
    const counting = accessTokens(
      {
        signingKey: () => Promise.reject(new Error('verifies only')),
        publicKeys: refreshing(
          async () => {
            reads += 1;
            return reads === 1 ? (await store.readPublicKeys()).slice(1) : store.readPublicKeys();
          },
          5 * 60_000,
          () => now,
        ),
      },
      settings,
      { now: () => now },
    );
    // Its first read predates the rotation (the new key missing): within the minute, no second read.
    await expect(counting.verify(signedWithNewKey)).rejects.toThrow(UnauthenticatedError);
    expect(reads).toBe(1);
    now += 61_000;
    await expect(counting.verify(signedWithNewKey)).resolves.toMatchObject({ sub: 'm' });
    expect(reads).toBe(2);
  });

  it('tokens signed with the previous key still verify while it is published, and the new key signs from then on', async () => {
    const store = memoryStore(await newSigningKey());
    let now = Date.UTC(2026, 10, 26, 8, 0, 0);
    const tokens = tokensOver(store, () => now);
    const before = await tokens.issue('m', 's');
    const rotation = await rotateSigningKey(store);
    now += 5 * 60_000;
    const after = await tokens.issue('m', 's');
    expect(decodeProtectedHeader(after.accessToken).kid).toBe(rotation.kid);
    expect(decodeProtectedHeader(before.accessToken).kid).toBe(rotation.stillPublished[0]);
    await expect(tokens.verify(before.accessToken)).resolves.toMatchObject({ sub: 'm' });
    await expect(tokens.verify(after.accessToken)).resolves.toMatchObject({ sub: 'm' });
    expect((await store.readPublicKeys()).every((k) => !('d' in k))).toBe(true);
  });

  it('publishes the new public key before the secret changes: no token is ever signed with a key verifiers do not know', async () => {
    const store = memoryStore(await newSigningKey());
    const order: string[] = [];
    const watched: SigningKeyStore = {
      ...store,
      writePublicKeys: async (keys) => {
        order.push('public keys');
        await store.writePublicKeys(keys);
      },
      writeSecret: async (secret) => {
        order.push('secret');
        await store.writeSecret(secret);
      },
    };
    await rotateSigningKey(watched);
    expect(order).toEqual(['public keys', 'secret']);
  });

  it('keeps two previous public keys at most', async () => {
    const store = memoryStore(await newSigningKey());
    for (let i = 0; i < 4; i++) await rotateSigningKey(store);
    expect(await store.readPublicKeys()).toHaveLength(3);
  });
});

function memoryStore(first: JWK): SigningKeyStore {
  let secret: SigningSecret = { current: first, previous: [] };
  let publicKeys: JWK[] = [];
  return {
    readSecret: async () => secret,
    writeSecret: async (s) => {
      secret = s;
    },
    readPublicKeys: async () => publicKeys,
    writePublicKeys: async (k) => {
      publicKeys = [...k];
    },
  };
}

/** As the runtime builds them: keys re-read every 5 minutes. */
function tokensOver(store: SigningKeyStore, clockNow: () => number): AccessTokens {
  return accessTokens(
    {
      signingKey: refreshing(async () => signingKeyOf(await store.readSecret()), 5 * 60_000, clockNow),
      publicKeys: refreshing(() => store.readPublicKeys(), 5 * 60_000, clockNow),
    },
    settings,
    { now: clockNow },
  );
}
