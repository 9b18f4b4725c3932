/**
 * What every implementation of a port promises, as one suite per port: run by the unit tests against
 * the in-memory fakes (test/unit/ports/in-memory-ports.test.ts) and by the integration tests against
 * the DynamoDB adapters on DynamoDB Local (test/integration/repositories.test.ts). A fake that drifts
 * from its adapter fails the same test: conditional writes, single use, expiry, what concurrent
 * writers see, what a member's listing holds.
 */
import { describe, expect, it } from '@jest/globals';
import type { AttemptStore } from '../../lambdas/domain/attempts.ts';
import type { DeviceChallengeStore } from '../../lambdas/domain/device-verification.ts';
import { OperatorInputError } from '../../lambdas/domain/errors.ts';
import type { ResetLinkStore } from '../../lambdas/domain/forgotten-code.ts';
import type { LetterRequest, LetterStore } from '../../lambdas/domain/letters.ts';
import { EMPTY_COUNTER } from '../../lambdas/domain/lockout.ts';
import type { MemberRepository } from '../../lambdas/domain/member.ts';
import type { PasskeyRecord, PasskeyStore, WebAuthnChallengeStore } from '../../lambdas/domain/passkeys.ts';
import { newId } from '../../lambdas/domain/random-secrets.ts';
import type { SessionRecord, SessionStore } from '../../lambdas/domain/sessions.ts';
import type { ChallengeStore, TermsStore } from '../../lambdas/domain/terms.ts';
import type { TrustedDeviceRecord, TrustedDeviceStore } from '../../lambdas/domain/trusted-devices.ts';

/** One implementation of every port, over one store (a fresh one, or a test's table). */
export interface PortSet {
  readonly members: MemberRepository;
  readonly attempts: AttemptStore;
  readonly sessions: SessionStore;
  readonly challenges: ChallengeStore;
  readonly resetLinks: ResetLinkStore;
  readonly terms: TermsStore;
  readonly devices: TrustedDeviceStore;
  readonly deviceChallenges: DeviceChallengeStore;
  readonly passkeys: PasskeyStore;
  readonly webAuthnChallenges: WebAuthnChallengeStore;
  readonly letters: LetterStore;
}

export const memberProfile = (key: string, extra: Record<string, unknown> = {}) => ({
  key,
  newMemberId: newId(),
  newCodeSalt: 'c2FsdHNhbHRzYWx0c2FsdA',
  firstName: 'Claire',
  lastName: 'Dubois',
  maskedNir: '2 95 ** ** *** *** 93',
  email: 'claire@example.org',
  clientId: 'ACME',
  ...extra,
});

export const sessionRecord = (memberKey: string, extra: Partial<SessionRecord> = {}): SessionRecord => ({
  sid: newId(),
  memberKey,
  memberId: 'm',
  codeVersion: 0,
  createdAt: 1000,
  lastRefreshAt: 1000,
  absoluteExpiresAt: 1000 + 43_200_000,
  refreshHash: 'h0',
  previousRefreshHashes: [],
  ...extra,
});

const device = (memberKey: string, extra: Partial<TrustedDeviceRecord> = {}): TrustedDeviceRecord => ({
  deviceId: newId(),
  memberKey,
  memberId: 'm',
  codeVersion: 0,
  label: 'Firefox · Linux',
  createdAt: 1000,
  lastUsedAt: 1000,
  expiresAt: 90_000_000,
  ...extra,
});

const passkey = (memberKey: string, extra: Partial<PasskeyRecord> = {}): PasskeyRecord => ({
  credentialId: newId(),
  passkeyId: newId(),
  memberKey,
  memberId: 'm',
  userHandle: 'handle',
  publicKey: 'cHVibGlj',
  counter: 0,
  synced: true,
  name: 'Téléphone',
  createdAt: 1000,
  ...extra,
});

const letter = (memberKey: string, extra: Partial<LetterRequest> = {}): LetterRequest => ({
  letterId: newId(),
  memberKey,
  memberId: 'm',
  requestedAt: 1000,
  requestedBy: 'MEMBER',
  requestId: 'r',
  state: 'PENDING',
  ...extra,
});

const winners = (results: readonly unknown[]) => results.filter(Boolean).length;

/** Every port's suite, for the implementations `ports()` builds (called once per test). */
export function describePortContracts(implementation: string, ports: () => PortSet): void {
  /** A member, as the import writes it. */
  const withMember = async (p: PortSet) => {
    const key = newId();
    await p.members.upsertProfile(memberProfile(key), 1000);
    return key;
  };

  describe(`MemberRepository (${implementation})`, () => {
    it('writes the initial code with the profile, only without a personal code and with the member’s own salt', async () => {
      const { members } = ports();
      const key = newId();
      const initialCode = { hash: 'initial-1', validUntil: 9000 };
      expect(await members.upsertProfile({ ...memberProfile(key), initialCode }, 1000)).toMatchObject({
        created: true,
      });
      expect(await members.get(key)).toMatchObject({ initialCodeHash: 'initial-1', initialCodeValidUntil: 9000 });
      // Another salt than the member's (a concurrent run created them): nothing is written.
      const otherSalt = memberProfile(key, { newCodeSalt: 'b3RoZXI', lastName: 'Other' });
      expect(await members.upsertProfile({ ...otherSalt, initialCode }, 2000)).toBeUndefined();
      expect((await members.get(key))?.lastName).toBe('Dubois');
      const member = (await members.get(key))!;
      await members.setPersonalCode(key, { hash: 'personal', expectedCodeVersion: member.codeVersion, now: 3000 });
      expect(
        await members.upsertProfile(
          { ...memberProfile(key), initialCode: { hash: 'initial-2', validUntil: 9000 } },
          4000,
        ),
      ).toBeUndefined();
      expect(await members.get(key)).toMatchObject({ personalCodeHash: 'personal', lastName: 'Dubois' });
      expect((await members.get(key))?.initialCodeHash).toBeUndefined();
    });

    it('keeps the import digest, and sets, keeps (no column) or clears (null) the end of access', async () => {
      const { members } = ports();
      const key = newId();
      await members.upsertProfile(memberProfile(key, { importDigest: 'd1', accessEndsAt: 5000 }), 1000);
      expect(await members.get(key)).toMatchObject({ importDigest: 'd1', accessEndsAt: 5000 });
      await members.upsertProfile(memberProfile(key, { importDigest: 'd2' }), 2000);
      expect(await members.get(key)).toMatchObject({ importDigest: 'd2', accessEndsAt: 5000 });
      await members.upsertProfile(memberProfile(key, { importDigest: 'd3', accessEndsAt: null }), 3000);
      expect((await members.get(key))?.accessEndsAt).toBeUndefined();
    });

    it('creates, then updates without changing the member id, and drops a removed email', async () => {
      const { members } = ports();
      const key = newId();
      const offered = memberProfile(key);
      expect(await members.upsertProfile(offered, 1000)).toEqual({
        created: true,
        hasPersonalCode: false,
        codeSalt: 'c2FsdHNhbHRzYWx0c2FsdA',
        memberId: offered.newMemberId,
      });
      const first = await members.get(key);
      const updated = memberProfile(key, { email: undefined, lastName: 'Dubois-Martin', newCodeSalt: 'b3RoZXI' });
      expect(await members.upsertProfile(updated, 2000)).toEqual({
        created: false,
        hasPersonalCode: false,
        codeSalt: 'c2FsdHNhbHRzYWx0c2FsdA',
        memberId: offered.newMemberId,
      });
      const second = await members.get(key);
      expect(second?.memberId).toBe(first?.memberId);
      expect(second?.lastName).toBe('Dubois-Martin');
      expect(second?.email).toBeUndefined();
      expect(second?.codeVersion).toBe(0);
      expect(await members.get(newId())).toBeUndefined();
    });

    it('a re-import never undoes a personal code', async () => {
      const { members } = ports();
      const key = newId();
      await members.upsertProfile(memberProfile(key), 1000);
      expect(await members.setInitialCodeHash(key, 'initial-1', 9_999)).toBe(true);
      expect(await members.setPersonalCode(key, { hash: 'personal-1', expectedCodeVersion: 0, now: 5000 })).toBe(true);
      expect(await members.upsertProfile(memberProfile(key), 6000)).toMatchObject({
        created: false,
        hasPersonalCode: true,
      });
      expect(await members.setInitialCodeHash(key, 'initial-2', 9_999)).toBe(false);
      const member = await members.get(key);
      expect(member).toMatchObject({ personalCodeHash: 'personal-1', codeVersion: 1, personalCodeSetAt: 5000 });
      expect(member?.initialCodeHash).toBeUndefined();
      expect(member?.initialCodeValidUntil).toBeUndefined();
    });

    it('of concurrent code changes from the same version, exactly one wins', async () => {
      const { members } = ports();
      const key = newId();
      await members.upsertProfile(memberProfile(key), 1000);
      const results = await Promise.all(
        ['a', 'b', 'c'].map((h) => members.setPersonalCode(key, { hash: h, expectedCodeVersion: 0, now: 2000 })),
      );
      expect(winners(results)).toBe(1);
      expect((await members.get(key))?.codeVersion).toBe(1);
    });

    it('replaces a hash only if it is still the one verified', async () => {
      const { members } = ports();
      const key = newId();
      await members.upsertProfile(memberProfile(key), 1000);
      await members.setPersonalCode(key, { hash: 'old', expectedCodeVersion: 0, now: 2000 });
      await members.replaceCodeHash(key, 'personalCodeHash', 'stale', 'new-1');
      expect((await members.get(key))?.personalCodeHash).toBe('old');
      await members.replaceCodeHash(key, 'personalCodeHash', 'old', 'new-2');
      expect((await members.get(key))?.personalCodeHash).toBe('new-2');
    });

    it('records a terms acceptance on the member', async () => {
      const { members } = ports();
      const key = newId();
      await members.upsertProfile(memberProfile(key), 1000);
      await members.recordTermsAcceptance(key, {
        version: 'v2',
        acceptedAt: 3000,
        sourceIp: '203.0.113.9',
        userAgent: 'UA',
      });
      expect(await members.get(key)).toMatchObject({ termsVersion: 'v2', termsAcceptedAt: 3000 });
    });
  });

  describe(`AttemptStore (${implementation})`, () => {
    it('saves a counter only over the version it read', async () => {
      const { attempts } = ports();
      const key = newId();
      expect(await attempts.loadCounter(key)).toEqual({ counter: EMPTY_COUNTER, version: 0 });
      const next = { ...EMPTY_COUNTER, consecutive: 1, recentFailures: [10] };
      expect(await attempts.saveCounter(key, next, 0, 99)).toBe(true);
      expect(await attempts.saveCounter(key, next, 0, 99)).toBe(false);
      expect(await attempts.loadCounter(key)).toEqual({ counter: next, version: 1 });
      expect(await attempts.saveCounter(key, { ...next, consecutive: 2 }, 1, 99)).toBe(true);
    });

    it('of concurrent saves over one version, exactly one wins', async () => {
      const { attempts } = ports();
      const key = newId();
      const results = await Promise.all(
        [1, 2, 3, 4].map((n) => attempts.saveCounter(key, { ...EMPTY_COUNTER, consecutive: n }, 0, 99)),
      );
      expect(winners(results)).toBe(1);
      expect((await attempts.loadCounter(key)).version).toBe(1);
    });

    it('reserves in a throttle window up to its cap, whatever the concurrency, and gives reservations back', async () => {
      const { attempts } = ports();
      const scope = { kind: 'IP' as const, id: newId() };
      const results = await Promise.all(Array.from({ length: 30 }, () => attempts.reserveWindow(scope, 7, 20, 99)));
      expect(winners(results)).toBe(20);
      await attempts.releaseWindow(scope, 7);
      expect(await attempts.reserveWindow(scope, 6, 5, 99)).toBe(true);
      const other = { kind: 'CODE' as const, id: 'never-failed' };
      const state = await attempts.loadAttemptState(newId(), [
        { scope, window: 7 },
        { scope: other, window: 7 },
      ]);
      expect(state).toEqual({
        counter: { counter: EMPTY_COUNTER, version: 0 },
        counts: [
          { current: 19, previous: 1 },
          { current: 0, previous: 0 },
        ],
      });
    });
  });

  describe(`SessionStore (${implementation})`, () => {
    it("creates once, only over the member's code version, rotates once per token, and revokes", async () => {
      const p = ports();
      const { sessions } = p;
      expect(await sessions.create(sessionRecord(newId()), [])).toBe(false);
      const key = await withMember(p);
      const s = sessionRecord(key);
      expect(await sessions.create(s, [])).toBe(true);
      expect(await sessions.create(s, [])).toBe(false);
      expect(await sessions.create(sessionRecord(key, { codeVersion: 1 }), [])).toBe(false);
      expect(await sessions.get(s.sid)).toEqual(s);

      const rotations = await Promise.all([sessions.rotate(s, 'h1', 2000, 50), sessions.rotate(s, 'h1b', 2000, 50)]);
      expect(winners(rotations)).toBe(1);
      const rotated = await sessions.get(s.sid);
      expect(rotated?.previousRefreshHashes).toEqual(['h0']);
      expect(rotated).toMatchObject({ lastRefreshAt: 2000, rotatedAt: 2000, rotatedFromHash: 'h0' });

      await sessions.revoke(s.sid, 'LOGOUT', 3000);
      expect((await sessions.get(s.sid))?.revokedAt).toBe(3000);
      expect(await sessions.rotate(rotated!, 'h2', 4000, 50)).toBe(false);
    });

    it('rebinds a live session to a new code once, never a revoked one', async () => {
      const p = ports();
      const key = await withMember(p);
      const s = sessionRecord(key, { deviceId: 'd-1' });
      expect(await p.sessions.create(s, [])).toBe(true);
      const rebinds = await Promise.all([
        p.sessions.rebind(s.sid, 0, { codeVersion: 1, deviceId: 'd-2' }),
        p.sessions.rebind(s.sid, 0, { codeVersion: 1, deviceId: 'd-3' }),
      ]);
      expect(rebinds.filter(Boolean)).toHaveLength(1);
      expect(await p.sessions.get(s.sid)).toMatchObject({ codeVersion: 1 });
      expect(await p.sessions.rebind(s.sid, 1, { codeVersion: 2 })).toBe(true);
      expect((await p.sessions.get(s.sid))?.deviceId).toBeUndefined();
      await p.sessions.revoke(s.sid, 'LOGOUT', 3000);
      expect(await p.sessions.rebind(s.sid, 2, { codeVersion: 3 })).toBe(false);
      expect(await p.sessions.rebind(newId(), 0, { codeVersion: 1 })).toBe(false);
    });

    it("lists a member's sessions, revoked or not, newest first, and no one else's", async () => {
      const p = ports();
      const key = await withMember(p);
      const other = await withMember(p);
      const older = sessionRecord(key, { createdAt: 1000 });
      const newer = sessionRecord(key, { createdAt: 5000 });
      for (const s of [older, newer, sessionRecord(other)]) expect(await p.sessions.create(s, [])).toBe(true);
      await p.sessions.revoke(older.sid, 'LOGOUT', 6000);
      expect((await p.sessions.listByMember(key)).map((s) => s.sid)).toEqual([newer.sid, older.sid]);
    });
  });

  describe(`ChallengeStore (${implementation})`, () => {
    it('a challenge is consumed once, and an expired one not at all', async () => {
      const { challenges } = ports();
      const hash = newId();
      await challenges.put(hash, { memberKey: 'k', codeVersion: 3, createdAt: 1000, expiresAt: 601_000 });
      expect(await challenges.get(hash)).toEqual({
        memberKey: 'k',
        codeVersion: 3,
        createdAt: 1000,
        expiresAt: 601_000,
      });
      const [a, b] = await Promise.all([challenges.consume(hash, 2000), challenges.consume(hash, 2000)]);
      expect(winners([a, b])).toBe(1);
      expect(await challenges.get(hash)).toBeUndefined();

      const expired = newId();
      await challenges.put(expired, { memberKey: 'k', codeVersion: 0, createdAt: 1000, expiresAt: 2000 });
      expect(await challenges.consume(expired, 3000)).toBeUndefined();
    });
  });

  describe(`ResetLinkStore (${implementation})`, () => {
    it('a link gets at most its number of uses, whatever the concurrency, and none once expired', async () => {
      const { resetLinks: links } = ports();
      const hash = newId();
      await links.put(hash, { memberKey: 'k', expiresAt: 10_000 });
      const uses = await Promise.all(Array.from({ length: 12 }, () => links.reserveUse(hash, 5_000, 3)));
      expect(uses.filter(Boolean)).toEqual([
        { memberKey: 'k', expiresAt: 10_000 },
        { memberKey: 'k', expiresAt: 10_000 },
        { memberKey: 'k', expiresAt: 10_000 },
      ]);
      const other = newId();
      await links.put(other, { memberKey: 'k', expiresAt: 10_000 });
      expect(await links.reserveUse(other, 10_000, 3)).toBeUndefined();
      expect(await links.reserveUse(newId(), 5_000, 3)).toBeUndefined();
    });

    it('finding a link counts no use, and finds none once expired, used up or deleted', async () => {
      const { resetLinks: links } = ports();
      const hash = newId();
      await links.put(hash, { memberKey: 'k', expiresAt: 10_000 });
      for (let i = 0; i < 5; i++)
        expect(await links.find(hash, 5_000, 3)).toEqual({ memberKey: 'k', expiresAt: 10_000 });
      await links.reserveUse(hash, 5_000, 3);
      await links.reserveUse(hash, 5_000, 3);
      expect(await links.find(hash, 5_000, 3)).toEqual({ memberKey: 'k', expiresAt: 10_000 });
      await links.reserveUse(hash, 5_000, 3);
      expect(await links.find(hash, 5_000, 3)).toBeUndefined();
      const other = newId();
      await links.put(other, { memberKey: 'k', expiresAt: 10_000 });
      expect(await links.find(other, 10_000, 3)).toBeUndefined();
      await links.delete(other);
      expect(await links.find(other, 5_000, 3)).toBeUndefined();
      expect(await links.find(newId(), 5_000, 3)).toBeUndefined();
    });

    it('a deleted link is gone', async () => {
      const { resetLinks: links } = ports();
      const hash = newId();
      await links.put(hash, { memberKey: 'k', expiresAt: 10_000 });
      await links.delete(hash);
      expect(await links.reserveUse(hash, 5_000, 3)).toBeUndefined();
    });
  });

  describe(`TermsStore (${implementation})`, () => {
    it('publishes versions idempotently and refuses a second URL for one version', async () => {
      const { terms } = ports();
      const version = `v-${newId()}`;
      await terms.publish({ version, url: 'https://p.example/cgu/1', publishedAt: 1000 });
      await terms.publish({ version, url: 'https://p.example/cgu/1', publishedAt: 5000 });
      expect(await terms.current()).toEqual({ version, url: 'https://p.example/cgu/1', publishedAt: 1000 });
      await expect(terms.publish({ version, url: 'https://p.example/other', publishedAt: 6000 })).rejects.toThrow(
        OperatorInputError,
      );
      const next = `w-${newId()}`;
      await terms.publish({ version: next, url: 'https://p.example/cgu/2', publishedAt: 7000 });
      expect((await terms.current())?.version).toBe(next);
    });
  });

  describe(`TrustedDeviceStore (${implementation})`, () => {
    it("keeps a device until deleted, lists the member's own, and touching a forgotten one does not bring it back", async () => {
      const { devices } = ports();
      const key = newId();
      const [a, b, someoneElse] = [newId(), newId(), newId()];
      await devices.put(a, device(key));
      await devices.put(b, device(key, { createdAt: 2000 }));
      await devices.put(someoneElse, device(newId()));
      await devices.touch(a, 5000);
      expect((await devices.get(a))?.lastUsedAt).toBe(5000);
      expect((await devices.listByMember(key)).map((d) => d.hash).sort()).toEqual([a, b].sort());

      await devices.delete(a);
      await devices.touch(a, 6000);
      expect(await devices.get(a)).toBeUndefined();
      expect((await devices.listByMember(key)).map((d) => d.hash)).toEqual([b]);
    });
  });

  describe(`TrustedDeviceStore rebinding (${implementation})`, () => {
    it('binds a device to a new code once, never a forgotten one', async () => {
      const { devices } = ports();
      const hash = newId();
      await devices.put(hash, device(newId()));
      const rebinds = await Promise.all([devices.rebind(hash, 0, 1), devices.rebind(hash, 0, 1)]);
      expect(rebinds.filter(Boolean)).toHaveLength(1);
      expect((await devices.get(hash))?.codeVersion).toBe(1);
      await devices.delete(hash);
      expect(await devices.rebind(hash, 1, 2)).toBe(false);
      expect(await devices.get(hash)).toBeUndefined();
    });
  });

  describe(`DeviceChallengeStore (${implementation})`, () => {
    const challenge = { memberKey: 'k', memberId: 'm', codeVersion: 0, codeHash: 'c', checks: 0, resends: 0 };

    it('counts at most its checks, whatever the concurrency, and none once expired', async () => {
      const { deviceChallenges } = ports();
      const hash = newId();
      await deviceChallenges.put(hash, { ...challenge, createdAt: 1000, expiresAt: 10_000 });
      const checks = await Promise.all(Array.from({ length: 10 }, () => deviceChallenges.reserveCheck(hash, 3, 2000)));
      expect(winners(checks)).toBe(3);
      const expired = newId();
      await deviceChallenges.put(expired, { ...challenge, createdAt: 1000, expiresAt: 2000 });
      expect(await deviceChallenges.reserveCheck(expired, 3, 3000)).toBeUndefined();
      expect(await deviceChallenges.reserveCheck(newId(), 3, 2000)).toBeUndefined();
    });

    it('takes a new code and expiry at most maxResends times, keeping its checks, and none once expired or spent', async () => {
      const { deviceChallenges } = ports();
      const hash = newId();
      await deviceChallenges.put(hash, { ...challenge, createdAt: 1000, expiresAt: 10_000 });
      await deviceChallenges.reserveCheck(hash, 3, 2000);
      const change = { codeHash: 'c2', expiresAt: 20_000, maxChecks: 3, maxResends: 2 };
      const replaced = await Promise.all(
        Array.from({ length: 5 }, () => deviceChallenges.replaceCode(hash, change, 3000)),
      );
      expect(winners(replaced)).toBe(2);
      const after = await deviceChallenges.reserveCheck(hash, 3, 15_000);
      expect(after).toMatchObject({ codeHash: 'c2', checks: 2, resends: 2, expiresAt: 20_000 });
      await deviceChallenges.reserveCheck(hash, 3, 15_000);
      expect(await deviceChallenges.replaceCode(hash, { ...change, maxResends: 9 }, 15_000)).toBeUndefined();
      const expired = newId();
      await deviceChallenges.put(expired, { ...challenge, createdAt: 1000, expiresAt: 2000 });
      expect(await deviceChallenges.replaceCode(expired, change, 3000)).toBeUndefined();
      const spent = newId();
      await deviceChallenges.put(spent, { ...challenge, createdAt: 1000, expiresAt: 10_000 });
      await deviceChallenges.consume(spent, 2000);
      expect(await deviceChallenges.replaceCode(spent, change, 3000)).toBeUndefined();
    });

    it('is consumed once', async () => {
      const { deviceChallenges } = ports();
      const hash = newId();
      await deviceChallenges.put(hash, { ...challenge, createdAt: 1000, expiresAt: 10_000 });
      const consumed = await Promise.all([deviceChallenges.consume(hash, 2000), deviceChallenges.consume(hash, 2000)]);
      expect(winners(consumed)).toBe(1);
      expect(await deviceChallenges.reserveCheck(hash, 3, 2000)).toBeUndefined();
    });
  });

  describe(`PasskeyStore (${implementation})`, () => {
    it('creates a credential once, and of two uses of one signature counter exactly one wins', async () => {
      const { passkeys } = ports();
      const record = passkey(newId());
      await passkeys.create(record);
      await expect(passkeys.create({ ...record, name: 'Autre' })).rejects.toThrow();
      expect(await passkeys.get(record.credentialId)).toEqual(record);
      const uses = await Promise.all([
        passkeys.recordUse(record.credentialId, 0, 1, 2000),
        passkeys.recordUse(record.credentialId, 0, 1, 2000),
      ]);
      expect(winners(uses)).toBe(1);
      expect(await passkeys.get(record.credentialId)).toMatchObject({ counter: 1, lastUsedAt: 2000 });
    });

    it("renames, lists the member's own, and deletes", async () => {
      const { passkeys } = ports();
      const key = newId();
      const [first, second] = [passkey(key), passkey(key, { createdAt: 2000 })];
      for (const record of [first, second, passkey(newId())]) await passkeys.create(record);
      await passkeys.rename(first.credentialId, 'Ordinateur');
      expect((await passkeys.get(first.credentialId))?.name).toBe('Ordinateur');
      expect((await passkeys.listByMember(key)).map((p) => p.credentialId).sort()).toEqual(
        [first.credentialId, second.credentialId].sort(),
      );
      await passkeys.delete(first.credentialId);
      expect(await passkeys.get(first.credentialId)).toBeUndefined();
      expect((await passkeys.listByMember(key)).map((p) => p.credentialId)).toEqual([second.credentialId]);
    });
  });

  describe(`WebAuthnChallengeStore (${implementation})`, () => {
    it('a sign-in challenge is answered once, whatever the concurrency', async () => {
      const { webAuthnChallenges } = ports();
      const hash = newId();
      const uses = await Promise.all(Array.from({ length: 5 }, () => webAuthnChallenges.recordUse(hash, 10_000)));
      expect(winners(uses)).toBe(1);
    });

    it('a signed-in member cannot free a used sign-in challenge by enrolling with it (replay of an assertion)', async () => {
      const { webAuthnChallenges } = ports();
      const hash = newId();
      expect(await webAuthnChallenges.recordUse(hash, 10_000)).toBe(true);
      expect(await webAuthnChallenges.consume(hash, 2000)).toBeUndefined();
      expect(await webAuthnChallenges.recordUse(hash, 10_000)).toBe(false);
    });

    it('an enrolment challenge is consumed once, and an expired one not at all', async () => {
      const { webAuthnChallenges } = ports();
      const hash = newId();
      const record = { purpose: 'REGISTER' as const, memberKey: 'k', sid: 's', createdAt: 1000, expiresAt: 10_000 };
      await webAuthnChallenges.put(hash, record);
      const consumed = await Promise.all([
        webAuthnChallenges.consume(hash, 2000),
        webAuthnChallenges.consume(hash, 2000),
      ]);
      expect(consumed.filter(Boolean)).toEqual([record]);
      const expired = newId();
      await webAuthnChallenges.put(expired, { ...record, expiresAt: 2000 });
      expect(await webAuthnChallenges.consume(expired, 3000)).toBeUndefined();
    });
  });

  describe(`LetterStore (${implementation})`, () => {
    it('queues one outstanding letter per member, only for a member, and a run claims it once', async () => {
      const p = ports();
      const key = await withMember(p);
      const first = letter(key);
      expect(await p.letters.queue(letter(newId()), {})).toBe(false);
      const queued = await Promise.all([p.letters.queue(first, {}), p.letters.queue(letter(key), {})]);
      expect(winners(queued)).toBe(1);
      const mine = (await p.letters.list('PENDING')).filter((l) => l.memberKey === key);
      expect(mine).toHaveLength(1);
      expect((await p.members.get(key))?.letterOutstandingId).toBe(mine[0]!.letterId);

      const claims = await Promise.all([
        p.letters.claim(mine[0]!, 'run-1', 5000),
        p.letters.claim(mine[0]!, 'run-2', 5000),
      ]);
      expect(winners(claims)).toBe(1);
      expect(await p.letters.get(mine[0]!.letterId)).toMatchObject({ state: 'EXPORTING', claimedAt: 5000 });
      expect((await p.letters.list('EXPORTING')).map((l) => l.letterId)).toContain(mine[0]!.letterId);
    });
  });
}
