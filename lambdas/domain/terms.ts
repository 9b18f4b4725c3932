import { InvalidChallengeError, NotFoundError, TermsVersionMismatchError } from './errors.ts';
import type { MemberRepository } from './member.ts';
import { isBindingStillValid, type Member } from './member.ts';
import type { Clock, SecurityEvents } from './ports.ts';
import { newSecret, secretHash } from './random-secrets.ts';
import type { Authenticated, SessionIssuer } from './sessions.ts';

export interface Terms {
  readonly version: string;
  readonly url: string;
  readonly publishedAt: number;
}

export interface TermsStore {
  current(): Promise<Terms | undefined>;
  /** Idempotent for the same version and URL; makes it the current version. */
  publish(terms: Terms): Promise<void>;
}

export interface ChallengeRecord {
  readonly memberKey: string;
  /** The member's `codeVersion` when the code was verified. */
  readonly codeVersion: number;
  readonly createdAt: number;
  readonly expiresAt: number;
  /** The trusted device the sign-in came from: the session it opens is that device's. */
  readonly deviceId?: string | undefined;
}

export interface ChallengeStore {
  put(hash: string, record: ChallengeRecord): Promise<void>;
  get(hash: string): Promise<ChallengeRecord | undefined>;
  /** Deletes it if still there and unexpired; returns it only to the one caller that deleted it. */
  consume(hash: string, now: number): Promise<ChallengeRecord | undefined>;
}

const CHALLENGE_TTL_SECONDS = 10 * 60;

export interface TermsDependencies {
  readonly terms: TermsStore;
  readonly challenges: ChallengeStore;
  readonly members: MemberRepository;
  readonly sessions: SessionIssuer;
  readonly clock: Clock;
  readonly events: SecurityEvents;
}

export interface AcceptanceRequest {
  readonly challenge: string;
  readonly version: string;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly requestId: string;
}

export function mustAcceptTerms(member: Member, current: Terms | undefined): current is Terms {
  return current !== undefined && member.termsVersion !== current.version;
}

/** The terms in force; none published yet is a 404 (the local stack publishes a first version). */
export async function currentTerms(store: TermsStore): Promise<Terms> {
  const terms = await store.current();
  if (!terms) throw new NotFoundError('no terms published');
  return terms;
}

const isLocalhost = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '[::1]';

/** A terms URL members will open: https, or http on this machine only (the local stack) — never `javascript:` and the like. */
export function isAcceptableTermsUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const { protocol, hostname } = new URL(url);
  return protocol === 'https:' || (protocol === 'http:' && isLocalhost(hostname));
}

export class TermsOfUse {
  readonly #deps: TermsDependencies;

  constructor(dependencies: TermsDependencies) {
    this.#deps = dependencies;
  }

  /** A short-lived, single-use proof that this member just gave the right personal code, bound to the code's version. */
  async issueChallenge(member: Member, deviceId?: string): Promise<string> {
    const challenge = newSecret();
    const now = this.#deps.clock.now();
    await this.#deps.challenges.put(secretHash(challenge), {
      memberKey: member.key,
      codeVersion: member.codeVersion,
      deviceId,
      createdAt: now,
      expiresAt: now + CHALLENGE_TTL_SECONDS * 1000,
    });
    return challenge;
  }

  async accept(request: AcceptanceRequest): Promise<Authenticated> {
    const hash = secretHash(request.challenge);
    const [pending, current] = await Promise.all([this.#deps.challenges.get(hash), this.#deps.terms.current()]);
    const now = this.#deps.clock.now();
    if (!pending || pending.expiresAt <= now) throw new InvalidChallengeError('challenge unknown or expired');
    // Checked before the challenge is spent, so a stale page can retry with the right version.
    if (!current || current.version !== request.version) throw new TermsVersionMismatchError('not the current version');

    const consumed = await this.#deps.challenges.consume(hash, now);
    if (!consumed) throw new InvalidChallengeError('challenge already used');
    const member = await this.#deps.members.get(consumed.memberKey);
    if (!member || !isBindingStillValid(member, consumed.codeVersion, now)) {
      throw new InvalidChallengeError('member deactivated or code changed since');
    }
    await this.#deps.members.recordTermsAcceptance(member.key, {
      version: current.version,
      acceptedAt: now,
      sourceIp: request.sourceIp,
      userAgent: request.userAgent,
    });
    await this.#deps.events.record('TERMS_ACCEPTED', {
      requestId: request.requestId,
      sourceIp: request.sourceIp,
      memberKey: member.key,
      memberId: member.memberId,
      version: current.version,
    });
    // Bound to the version the challenge saw: a code change since then leaves no session.
    const session = await this.#deps.sessions.start({ ...member, codeVersion: consumed.codeVersion }, request, [], {
      deviceId: consumed.deviceId,
    });
    if (!session) throw new InvalidChallengeError('member deactivated or code changed since');
    return session;
  }
}
