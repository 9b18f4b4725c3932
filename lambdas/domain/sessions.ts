import { SessionExpiredError, UnauthenticatedError } from './errors.ts';
import type { AccessTokens } from './access-tokens.ts';
import { isSessionStillValid, type Member } from './member.ts';
import type { Clock, MemberRepository, SecurityEvents, SessionRecord, SessionStore } from './ports.ts';
import { newId, newSecret, secretHash } from './random-secrets.ts';

export const SESSION_IDLE_SECONDS = 30 * 60;
export const SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60;
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

/** Who is asking, for the audit trail. */
export interface RequestSource {
  readonly requestId: string;
  readonly sourceIp?: string | undefined;
}

export interface SessionDependencies {
  readonly sessions: SessionStore;
  readonly members: MemberRepository;
  readonly tokens: AccessTokens;
  readonly clock: Clock;
  readonly events: SecurityEvents;
}

/** The refresh token is "<session id>.<secret>": the id finds the session, only the secret's hash is stored. */
function splitRefreshToken(token: string | undefined): { sid: string; hash: string } | undefined {
  const match = token === undefined ? null : /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return match ? { sid: match[1]!, hash: secretHash(match[2]!) } : undefined;
}

export class Sessions {
  readonly #d: SessionDependencies;

  constructor(dependencies: SessionDependencies) {
    this.#d = dependencies;
  }

  async start(member: Member, source: RequestSource): Promise<Authenticated> {
    const { requestId, sourceIp } = source;
    const now = this.#d.clock.now();
    const sid = newId();
    const secret = newSecret();
    const created = this.#d.sessions.create({
      sid,
      memberKey: member.key,
      memberId: member.memberId,
      createdAt: now,
      lastRefreshAt: now,
      absoluteExpiresAt: now + SESSION_ABSOLUTE_SECONDS * 1000,
      refreshHash: secretHash(secret),
      previousRefreshHashes: [],
    });
    // Independent writes in parallel: a sign-in's latency is mostly round trips.
    const [authenticated] = await Promise.all([
      this.#authenticated(member.memberId, sid, `${sid}.${secret}`, now + SESSION_ABSOLUTE_SECONDS * 1000),
      created,
      this.#d.events.record('SESSION_STARTED', { requestId, sourceIp, memberKey: member.key, memberId: member.memberId }),
    ]);
    return authenticated;
  }

  async refresh(refreshToken: string | undefined, source: RequestSource): Promise<Authenticated> {
    const { requestId, sourceIp } = source;
    const presented = splitRefreshToken(refreshToken);
    if (!presented) throw new SessionExpiredError('no usable refresh cookie');
    const session = await this.#d.sessions.get(presented.sid);
    if (!session || session.revokedAt !== undefined) throw new SessionExpiredError('unknown or revoked session');
    const now = this.#d.clock.now();

    if (presented.hash !== session.refreshHash) {
      if (session.previousRefreshHashes.includes(presented.hash)) {
        await this.#d.sessions.revoke(session.sid, 'REPLAY', now);
        await this.#d.events.record('REFRESH_REPLAY_DETECTED', { requestId, sourceIp, memberKey: session.memberKey, memberId: session.memberId });
      }
      throw new SessionExpiredError('refresh token not current');
    }
    if (now > session.absoluteExpiresAt || now > session.lastRefreshAt + SESSION_IDLE_SECONDS * 1000) {
      await this.#d.sessions.revoke(session.sid, 'EXPIRED', now);
      await this.#d.events.record('SESSION_REVOKED', { requestId, sourceIp, memberKey: session.memberKey, memberId: session.memberId, reason: 'EXPIRED' });
      throw new SessionExpiredError('session timed out');
    }
    const member = await this.#d.members.get(session.memberKey);
    if (!member || !isSessionStillValid(member, session.createdAt)) {
      await this.#d.sessions.revoke(session.sid, 'MEMBER_INVALIDATED', now);
      await this.#d.events.record('SESSION_REVOKED', { requestId, sourceIp, memberKey: session.memberKey, memberId: session.memberId, reason: 'MEMBER_INVALIDATED' });
      throw new SessionExpiredError('member deactivated or code changed');
    }

    const secret = newSecret();
    const rotated = await this.#d.sessions.rotate(session, secretHash(secret), now, REMEMBERED_ROTATIONS);
    if (!rotated) {
      // Another request rotated this very token first: it was presented twice.
      await this.#d.sessions.revoke(session.sid, 'REPLAY', now);
      await this.#d.events.record('REFRESH_REPLAY_DETECTED', { requestId, sourceIp, memberKey: session.memberKey, memberId: session.memberId });
      throw new SessionExpiredError('refresh token raced');
    }
    await this.#d.events.record('SESSION_REFRESHED', { requestId, sourceIp, memberKey: session.memberKey, memberId: session.memberId });
    return this.#authenticated(session.memberId, session.sid, `${session.sid}.${secret}`, session.absoluteExpiresAt);
  }

  /** Revokes the session if the cookie is one of its refresh tokens; the answer is the same either way. */
  async logout(refreshToken: string | undefined, source: RequestSource): Promise<void> {
    const { requestId, sourceIp } = source;
    const presented = splitRefreshToken(refreshToken);
    if (!presented) return;
    const session = await this.#d.sessions.get(presented.sid);
    if (!session || session.revokedAt !== undefined) return;
    if (presented.hash !== session.refreshHash && !session.previousRefreshHashes.includes(presented.hash)) return;
    await this.#d.sessions.revoke(session.sid, 'LOGOUT', this.#d.clock.now());
    await this.#d.events.record('SESSION_LOGGED_OUT', { requestId, sourceIp, memberKey: session.memberKey, memberId: session.memberId });
  }

  /** A bearer token is good here only while its session lives and the member is still valid. */
  async authenticate(authorization: string | undefined): Promise<{ member: Member; session: SessionRecord }> {
    const bearer = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization ?? '');
    if (!bearer) throw new UnauthenticatedError('no bearer token');
    const claims = await this.#d.tokens.verify(bearer[1]!);
    const session = await this.#d.sessions.get(claims.sid);
    const now = this.#d.clock.now();
    if (!session || session.memberId !== claims.sub || session.revokedAt !== undefined || now > session.absoluteExpiresAt) {
      throw new UnauthenticatedError('session ended');
    }
    const member = await this.#d.members.get(session.memberKey);
    if (!member || !isSessionStillValid(member, session.createdAt)) {
      throw new UnauthenticatedError('member deactivated or code changed');
    }
    return { member, session };
  }

  async #authenticated(memberId: string, sid: string, refreshToken: string, absoluteExpiresAt: number): Promise<Authenticated> {
    const { accessToken, expiresIn } = await this.#d.tokens.issue(memberId, sid);
    const untilAbsolute = Math.floor((absoluteExpiresAt - this.#d.clock.now()) / 1000);
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
