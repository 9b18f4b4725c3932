import type { TokenSigner, TokenVerifier } from './access-tokens.ts';
import type { PendingAuditEntry } from './audit-events.ts';
import { SessionExpiredError, UnauthenticatedError } from './errors.ts';
import type { MemberRepository } from './member.ts';
import { isBindingStillValid, type Member } from './member.ts';
import type { Clock, KeyedHasher, PreparedEvent, SecurityEvents } from './ports.ts';
import { newId, newSecret, secretHash } from './random-secrets.ts';
import type { RequestSource } from './request-source.ts';

export interface SessionRecord {
  readonly sid: string;
  readonly memberKey: string;
  readonly memberId: string;
  /** The member's `codeVersion` when the code was verified: the session dies when it moves. */
  readonly codeVersion: number;
  readonly createdAt: number;
  readonly lastRefreshAt: number;
  readonly absoluteExpiresAt: number;
  readonly refreshHash: string;
  /** The refresh token rotated last, and when: presented again within the grace, it gets the same answer. */
  readonly rotatedFromHash?: string | undefined;
  readonly rotatedAt?: number | undefined;
  /** Hashes of refresh tokens already rotated: presenting one again (after the grace) is a replay. */
  readonly previousRefreshHashes: readonly string[];
  readonly revokedAt?: number | undefined;
  /** Where and with what it was opened, for the member's list of sessions (and customer service's). */
  readonly userAgent?: string | undefined;
  readonly sourceIp?: string | undefined;
  /** The trusted device it was opened from: forgetting that device ends it (http-api-v1.md, POST /v1/login: "what a stranger with a NIR can no longer do"). */
  readonly deviceId?: string | undefined;
}

export interface SessionStore {
  /**
   * Writes the session and its audit entries only while the member's `codeVersion` is still the
   * session's and the member is not deactivated (one transaction): false otherwise, and nothing is written.
   */
  create(session: SessionRecord, audit: readonly PendingAuditEntry[]): Promise<boolean>;
  get(sid: string): Promise<SessionRecord | undefined>;
  /** Conditional on the session's refresh hash being still `session.refreshHash`: exactly one rotation wins. */
  rotate(session: SessionRecord, nextHash: string, now: number, keepPrevious: number): Promise<boolean>;
  revoke(sid: string, reason: SessionRevocationReason, now: number): Promise<void>;
  /**
   * Binds a live session to the member's new code (and the device it now comes from), only while it
   * is not revoked and still bound to `fromCodeVersion`: the session a signed-in code change came from.
   */
  rebind(
    sid: string,
    fromCodeVersion: number,
    to: { codeVersion: number; deviceId?: string | undefined },
  ): Promise<boolean>;
  /** A member's sessions, revoked or not, newest first (an index: a session opened an instant ago may be missing). */
  listByMember(memberKey: string): Promise<SessionRecord[]>;
}

/** Why a session ended: logout, a replayed token, the member's code or access changed, time, the member's or an operator's choice. */
export type SessionRevocationReason = 'LOGOUT' | 'REPLAY' | 'MEMBER_INVALIDATED' | 'EXPIRED' | 'MEMBER' | 'OPERATOR';

export const SESSION_IDLE_SECONDS = 30 * 60;
const SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60;
/**
 * A rotated refresh token presented again this soon after its rotation gets the same answer as
 * the rotation — two tabs refreshing at once — and revokes nothing (http-api-v1.md, POST /v1/session/refresh).
 */
export const REFRESH_GRACE_MS = 10_000;
/** Rotated refresh-token hashes remembered per session, to recognise a replay. */
const REMEMBERED_ROTATIONS = 50;

export interface Authenticated {
  readonly status: 'AUTHENTICATED';
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
  /** Goes only into the HttpOnly cookie, never into a body. */
  readonly refreshToken: string;
  readonly refreshMaxAgeSeconds: number;
}

/** Who ends sessions other than by logging out, for the audit trail: the member, or customer service. */
export type SessionRevoker =
  | { readonly by: 'MEMBER'; readonly source: RequestSource }
  | {
      readonly by: 'OPERATOR';
      readonly requestId: string;
      readonly operator: string;
      readonly operatorClaim?: string | undefined;
    };

/** What opening and refreshing sessions needs: the signer, and the refresh-token key. */
export interface SessionIssuerDependencies {
  readonly sessions: SessionStore;
  readonly members: MemberRepository;
  readonly tokens: Pick<TokenSigner, 'issue'>;
  /**
   * Derives a refresh token's successor (a keyed hash held outside the database): two requests
   * rotating the same token get the same successor, and no refresh token is ever stored in clear.
   */
  readonly refreshKey: KeyedHasher;
  readonly clock: Clock;
  readonly events: SecurityEvents;
}

interface PresentedToken {
  readonly sid: string;
  readonly token: string;
  readonly hash: string;
}

/** The refresh token is "<session id>.<secret>": the id finds the session, only the secret's hash is stored. */
function splitRefreshToken(token: string | undefined): PresentedToken | undefined {
  const match = token === undefined ? null : /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return match ? { sid: match[1]!, token: token!, hash: secretHash(match[2]!) } : undefined;
}

/**
 * Opens and refreshes sessions (the sign-in steps, `/v1/session/refresh`): it holds the token signer
 * and the refresh-token key, which no function that only checks sessions is given.
 */
export class SessionIssuer {
  readonly #deps: SessionIssuerDependencies;

  constructor(dependencies: SessionIssuerDependencies) {
    this.#deps = dependencies;
  }

  /**
   * A session bound to the member's `codeVersion` as verified: written only if the member still has
   * it and is not deactivated, together with its `SESSION_STARTED` entry and the caller's `alongside`
   * events (one transaction: a process that dies leaves all of them or none), so a sign-in racing a
   * code change or a deactivation yields nothing. Undefined when the member changed meanwhile.
   */
  async start(
    member: Member,
    source: RequestSource,
    alongside: readonly PreparedEvent[] = [],
    opened: { readonly deviceId?: string | undefined } = {},
  ): Promise<Authenticated | undefined> {
    const { requestId, sourceIp } = source;
    const now = this.#deps.clock.now();
    const sid = newId();
    const secret = newSecret();
    const absoluteExpiresAt = now + SESSION_ABSOLUTE_SECONDS * 1000;
    const events = [
      ...alongside,
      this.#deps.events.prepare('SESSION_STARTED', {
        requestId,
        sourceIp,
        memberKey: member.key,
        memberId: member.memberId,
      }),
    ];
    // Independent work in parallel: a sign-in's latency is mostly round trips.
    const [created, authenticated] = await Promise.all([
      this.#deps.sessions.create(
        {
          sid,
          memberKey: member.key,
          memberId: member.memberId,
          codeVersion: member.codeVersion,
          createdAt: now,
          lastRefreshAt: now,
          absoluteExpiresAt,
          refreshHash: secretHash(secret),
          previousRefreshHashes: [],
          userAgent: source.userAgent?.slice(0, 256),
          sourceIp,
          ...(opened.deviceId ? { deviceId: opened.deviceId } : {}),
        },
        events.flatMap((e) => (e.trail ? [e.trail] : [])),
      ),
      this.#authenticated(member.memberId, sid, `${sid}.${secret}`, absoluteExpiresAt),
    ]);
    if (!created) return undefined;
    for (const event of events) event.log();
    return authenticated;
  }

  async refresh(refreshToken: string | undefined, source: RequestSource): Promise<Authenticated> {
    const presented = splitRefreshToken(refreshToken);
    if (!presented) throw new SessionExpiredError('no usable refresh cookie');
    let session = await this.#live(presented.sid);
    if (presented.hash === session.refreshHash) {
      await this.#assertStillValid(session, source);
      const successor = await this.#successor(presented);
      const now = this.#deps.clock.now();
      if (await this.#deps.sessions.rotate(session, secretHash(successor.secret), now, REMEMBERED_ROTATIONS)) {
        await this.#record('SESSION_REFRESHED', session, source);
        return this.#authenticated(session.memberId, session.sid, successor.token, session.absoluteExpiresAt);
      }
      // Another request rotated this very token first: the grace below decides.
      session = await this.#live(presented.sid);
    }
    const now = this.#deps.clock.now();
    if (presented.hash === session.rotatedFromHash && now - (session.rotatedAt ?? 0) <= REFRESH_GRACE_MS) {
      const successor = await this.#successor(presented);
      if (secretHash(successor.secret) === session.refreshHash) {
        await this.#assertStillValid(session, source);
        await this.#record('SESSION_REFRESHED', session, source, { grace: true });
        return this.#authenticated(session.memberId, session.sid, successor.token, session.absoluteExpiresAt);
      }
    }
    if (presented.hash === session.rotatedFromHash || session.previousRefreshHashes.includes(presented.hash)) {
      await this.#deps.sessions.revoke(session.sid, 'REPLAY', now);
      await this.#record('REFRESH_REPLAY_DETECTED', session, source);
    }
    throw new SessionExpiredError('refresh token not current');
  }

  async #live(sid: string): Promise<SessionRecord> {
    const session = await this.#deps.sessions.get(sid);
    if (!session || session.revokedAt !== undefined) throw new SessionExpiredError('unknown or revoked session');
    return session;
  }

  /** Idle and absolute limits, and the member's code and access unchanged since sign-in; else the session ends. */
  async #assertStillValid(session: SessionRecord, source: RequestSource): Promise<void> {
    const now = this.#deps.clock.now();
    if (now > session.absoluteExpiresAt || now > session.lastRefreshAt + SESSION_IDLE_SECONDS * 1000) {
      await this.#deps.sessions.revoke(session.sid, 'EXPIRED', now);
      await this.#record('SESSION_REVOKED', session, source, { reason: 'EXPIRED' });
      throw new SessionExpiredError('session timed out');
    }
    const member = await this.#deps.members.get(session.memberKey);
    if (!member || !isBindingStillValid(member, session.codeVersion, now)) {
      await this.#deps.sessions.revoke(session.sid, 'MEMBER_INVALIDATED', now);
      await this.#record('SESSION_REVOKED', session, source, { reason: 'MEMBER_INVALIDATED' });
      throw new SessionExpiredError('member deactivated or code changed');
    }
  }

  async #successor(presented: PresentedToken): Promise<{ secret: string; token: string }> {
    const secret = (await this.#deps.refreshKey.digest(`refresh-successor:${presented.token}`)).toString('base64url');
    return { secret, token: `${presented.sid}.${secret}` };
  }

  #record(
    event: 'SESSION_REFRESHED' | 'SESSION_REVOKED' | 'REFRESH_REPLAY_DETECTED',
    session: SessionRecord,
    source: RequestSource,
    detail: Record<string, string | boolean> = {},
  ): Promise<void> {
    return recordSessionEvent(this.#deps.events, event, session, source, detail);
  }

  async #authenticated(
    memberId: string,
    sid: string,
    refreshToken: string,
    absoluteExpiresAt: number,
  ): Promise<Authenticated> {
    const { accessToken, expiresIn } = await this.#deps.tokens.issue(memberId, sid);
    const untilAbsolute = Math.floor((absoluteExpiresAt - this.#deps.clock.now()) / 1000);
    return {
      status: 'AUTHENTICATED',
      accessToken,
      tokenType: 'Bearer',
      expiresIn,
      refreshToken,
      refreshMaxAgeSeconds: Math.max(0, Math.min(untilAbsolute, SESSION_IDLE_SECONDS)),
    };
  }
}

/** What checking and ending sessions needs: the verifier only — no signing key, no refresh-token key. */
export interface SessionGuardDependencies {
  readonly sessions: SessionStore;
  readonly members: MemberRepository;
  readonly tokens: Pick<TokenVerifier, 'verify'>;
  readonly clock: Clock;
  readonly events: SecurityEvents;
}

/**
 * Checks and ends sessions (`/v1/me…`, logout, the passkey routes, customer service): a bearer token is
 * good only while its session lives and the member's code and access are unchanged.
 */
export class SessionGuard {
  readonly #deps: SessionGuardDependencies;

  constructor(dependencies: SessionGuardDependencies) {
    this.#deps = dependencies;
  }

  /** A bearer token is good here only while its session lives and the member's code and access have not changed. */
  async authenticate(authorization: string | undefined): Promise<{ member: Member; session: SessionRecord }> {
    const bearer = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization ?? '');
    if (!bearer) throw new UnauthenticatedError('no bearer token');
    const claims = await this.#deps.tokens.verify(bearer[1]!);
    const session = await this.#deps.sessions.get(claims.sid);
    const now = this.#deps.clock.now();
    if (
      !session ||
      session.memberId !== claims.sub ||
      session.revokedAt !== undefined ||
      now > session.absoluteExpiresAt
    ) {
      throw new UnauthenticatedError('session ended');
    }
    const member = await this.#deps.members.get(session.memberKey);
    if (!member || !isBindingStillValid(member, session.codeVersion, this.#deps.clock.now())) {
      throw new UnauthenticatedError('member deactivated or code changed');
    }
    return { member, session };
  }

  /** The member's sessions that still work: not revoked, not timed out, opened with the member's current code. */
  async listActive(member: Member): Promise<SessionRecord[]> {
    const now = this.#deps.clock.now();
    return (await this.#deps.sessions.listByMember(member.key)).filter(
      (s) =>
        s.revokedAt === undefined &&
        now <= s.absoluteExpiresAt &&
        now <= s.lastRefreshAt + SESSION_IDLE_SECONDS * 1000 &&
        isBindingStillValid(member, s.codeVersion, now),
    );
  }

  /** Ends one session of this member (false when it is not one of theirs, or already ended). */
  async end(member: Member, sid: string, revoker: SessionRevoker): Promise<boolean> {
    const session = (await this.listActive(member)).find((s) => s.sid === sid);
    if (!session) return false;
    await this.#revokeFor(session, revoker);
    return true;
  }

  /** Ends every session of this member but `keep` (the caller's own, when the member asks): how many. */
  async endAll(member: Member, revoker: SessionRevoker, keep?: string): Promise<number> {
    const ending = (await this.listActive(member)).filter((s) => s.sid !== keep);
    await Promise.all(ending.map((s) => this.#revokeFor(s, revoker)));
    return ending.length;
  }

  /**
   * The session a signed-in code change came from lives on: bound to the member's new code and to the
   * device it now comes from (false when it ended meanwhile).
   */
  keepAcrossCodeChange(session: SessionRecord, codeVersion: number, deviceId: string | undefined): Promise<boolean> {
    return this.#deps.sessions.rebind(session.sid, session.codeVersion, { codeVersion, deviceId });
  }

  /** Ends every session opened from this trusted device (which is being forgotten): how many. */
  async endOpenedFrom(member: Member, deviceId: string, revoker: SessionRevoker): Promise<number> {
    const ending = (await this.listActive(member)).filter((s) => s.deviceId === deviceId);
    await Promise.all(ending.map((s) => this.#revokeFor(s, revoker)));
    return ending.length;
  }

  /** Revokes the session if the cookie is one of its refresh tokens; the answer is the same either way. */
  async logout(refreshToken: string | undefined, source: RequestSource): Promise<void> {
    const presented = splitRefreshToken(refreshToken);
    if (!presented) return;
    const session = await this.#deps.sessions.get(presented.sid);
    if (!session || session.revokedAt !== undefined) return;
    const known = [session.refreshHash, session.rotatedFromHash, ...session.previousRefreshHashes];
    if (!known.includes(presented.hash)) return;
    await this.#deps.sessions.revoke(session.sid, 'LOGOUT', this.#deps.clock.now());
    await recordSessionEvent(this.#deps.events, 'SESSION_LOGGED_OUT', session, source);
  }

  async #revokeFor(session: SessionRecord, revoker: SessionRevoker): Promise<void> {
    await this.#deps.sessions.revoke(session.sid, revoker.by, this.#deps.clock.now());
    const who =
      revoker.by === 'MEMBER'
        ? { requestId: revoker.source.requestId, sourceIp: revoker.source.sourceIp }
        : { requestId: revoker.requestId, operator: revoker.operator, operatorClaim: revoker.operatorClaim };
    await this.#deps.events.record('SESSION_REVOKED', {
      ...who,
      memberKey: session.memberKey,
      memberId: session.memberId,
      reason: revoker.by,
    });
  }
}

/** A session's event, with who asked: logged, and kept in the member's audit trail. */
async function recordSessionEvent(
  events: SecurityEvents,
  event: 'SESSION_REFRESHED' | 'SESSION_LOGGED_OUT' | 'SESSION_REVOKED' | 'REFRESH_REPLAY_DETECTED',
  session: SessionRecord,
  source: RequestSource,
  detail: Record<string, string | boolean> = {},
): Promise<void> {
  await events.record(event, {
    requestId: source.requestId,
    sourceIp: source.sourceIp,
    memberKey: session.memberKey,
    memberId: session.memberId,
    ...detail,
  });
}
