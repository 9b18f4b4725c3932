import { hasAccessEnded } from './access-end.ts';
import type { AttemptStore } from './attempts.ts';
import type { BackgroundJobs, ForgotJob } from './background-jobs.ts';
import type { CodeHasher } from './code-hashing.ts';
import { auditFields } from './credential-check.ts';
import { InvalidResetTokenError, TooManyAttemptsError } from './errors.ts';
import type { LetterQueue } from './letters.ts';
import type { NirLocks } from './lock-recovery.ts';
import type { Member, MemberRepository } from './member.ts';
import type { MemberMail } from './member-mail.ts';
import { parseNewCode, writePersonalCode } from './new-code.ts';
import { nirLookupKey, parseNir } from './nir.ts';
import type { PasskeyRemoval } from './passkey-removal.ts';
import { PORTAL_PATHS, portalUrl } from './portal-paths.ts';
import type { Clock, KeyedHasher, SecurityEvents } from './ports.ts';
import { isSecret, newSecret, secretHash } from './random-secrets.ts';
import type { MemberRequest } from './request-source.ts';
import { retryAfterSeconds, type ThrottlePolicy, windowExpiry, windowIndex } from './throttles.ts';
import type { RememberedDevice, TrustedDevices } from './trusted-devices.ts';

export interface ResetLinkRecord {
  readonly memberKey: string;
  readonly expiresAt: number;
}

/** Lookup from a reset link's hash to its member; the link itself is never stored. */
export interface ResetLinkStore {
  put(tokenHash: string, record: ResetLinkRecord): Promise<void>;
  /**
   * Counts one use of the link before its NIR is compared, and returns it — unless it is unknown,
   * expired, or already used `maxUses` times (then undefined): concurrent guesses of the NIR get
   * no more tries than that.
   */
  reserveUse(tokenHash: string, now: number, maxUses: number): Promise<ResetLinkRecord | undefined>;
  /** The link as `reserveUse` would take it (known, unexpired, fewer than `maxUses` uses), counting nothing. */
  find(tokenHash: string, now: number, maxUses: number): Promise<ResetLinkRecord | undefined>;
  delete(tokenHash: string): Promise<void>;
}

/** The link is still its member's latest (a newer one, or a code change, drops it) and access has not ended. */
export function isCurrentLink(member: Member | undefined, tokenHash: string, now: number): member is Member {
  return member !== undefined && member.resetTokenHash === tokenHash && !hasAccessEnded(member, now);
}

export const RESET_LINK_VALID_MINUTES = 60;
export const MAX_RESET_MAILS_PER_HOUR = 3;
/** Answers to a reset with a NIR: after this many, the link is dead even for the right NIR. */
export const MAX_RESET_LINK_USES = 3;
const HOUR_MS = 60 * 60 * 1000;
/** Concurrent requests for one member race on `resetVersion`; each round one of them wins. */
const MAX_ISSUE_ROUNDS = 10;

export interface ForgottenCodeDependencies {
  readonly nirHasher: KeyedHasher;
  readonly jobs: BackgroundJobs;
  /** Requests per source IP (a fixed window): the answer is the same for every NIR, the audit trail must not fill. */
  readonly attempts: AttemptStore;
  readonly perIp: ThrottlePolicy;
  readonly clock: Clock;
  readonly events: SecurityEvents;
}

/**
 * "Vous avez oublié votre code d'accès ?": the answer is the same for every well-formed NIR, and
 * the request costs the same whatever the branch — a keyed hash, a throttle count and a hand-off.
 * The branch's work (reset mail, letter, or nothing) happens off the response path (`ForgottenCodeWork`).
 */
export class ForgottenCode {
  readonly #deps: ForgottenCodeDependencies;

  constructor(dependencies: ForgottenCodeDependencies) {
    this.#deps = dependencies;
  }

  async request(input: { nir: string }, source: MemberRequest): Promise<void> {
    const nir = parseNir(input.nir);
    const now = this.#deps.clock.now();
    const scope = { kind: 'FORGOT_IP', id: source.sourceIp } as const;
    const window = windowIndex(now, this.#deps.perIp.windowSeconds);
    const [memberKey, allowed] = await Promise.all([
      nirLookupKey(this.#deps.nirHasher, nir),
      this.#deps.attempts.reserveWindow(
        scope,
        window,
        this.#deps.perIp.maxEvents,
        windowExpiry(window, this.#deps.perIp),
      ),
    ]);
    if (!allowed) {
      await this.#deps.events.record('FORGOT_THROTTLED', {
        requestId: source.requestId,
        sourceIp: source.sourceIp,
        metric: 'AttemptThrottled',
      });
      throw new TooManyAttemptsError(retryAfterSeconds(now, this.#deps.perIp), 'THROTTLED', 'forgot requests per IP');
    }
    await this.#deps.jobs.dispatch({
      kind: 'FORGOT',
      memberKey,
      requestId: source.requestId,
      sourceIp: source.sourceIp,
      language: source.language,
    });
  }
}

export interface ForgottenCodeWorkDependencies {
  readonly members: MemberRepository;
  readonly resetLinks: ResetLinkStore;
  readonly letters: LetterQueue;
  readonly mail: MemberMail;
  readonly clock: Clock;
  readonly events: SecurityEvents;
  /** From configuration only, never from a request header. */
  readonly portalBaseUrl: string;
}

/** The branch of a forgotten-code request. Nothing about the account changes here but the new link (or letter request) itself. */
export class ForgottenCodeWork {
  readonly #deps: ForgottenCodeWorkDependencies;

  constructor(dependencies: ForgottenCodeWorkDependencies) {
    this.#deps = dependencies;
  }

  async process(job: ForgotJob): Promise<void> {
    const member = await this.#deps.members.get(job.memberKey);
    if (!member || hasAccessEnded(member, this.#deps.clock.now())) {
      await this.#deps.events.record('FORGOT_REQUEST_IGNORED', auditFields(job, job.memberKey, member));
      return;
    }
    await this.#deps.events.record('FORGOT_REQUESTED', auditFields(job, member.key, member));
    if (member.email) await this.#sendResetLink(member, member.email, job);
    else await this.#deps.letters.request(member, 'MEMBER', job.requestId);
  }

  async #sendResetLink(first: Member, email: string, job: ForgotJob): Promise<void> {
    let member: Member | undefined = first;
    for (let round = 0; member && round < MAX_ISSUE_ROUNDS; round++) {
      const now = this.#deps.clock.now();
      const recent = (member.recentResetMails ?? []).filter((t) => t > now - HOUR_MS);
      if (recent.length >= MAX_RESET_MAILS_PER_HOUR) {
        await this.#deps.events.record('RESET_MAIL_LIMITED', auditFields(job, member.key, member));
        return;
      }
      const token = newSecret();
      const tokenHash = secretHash(token);
      // The lookup first: a link mailed is always one that can be found.
      await this.#deps.resetLinks.put(tokenHash, {
        memberKey: member.key,
        expiresAt: now + RESET_LINK_VALID_MINUTES * 60_000,
      });
      const recorded = await this.#deps.members.recordResetLink(member.key, {
        tokenHash,
        issuedAt: now,
        recentResetMails: [...recent, now],
        expectedResetVersion: member.resetVersion ?? 0,
      });
      if (recorded) {
        // In the fragment: browsers and proxies do not send or log it (the portal reads it there).
        const link = `${portalUrl(this.#deps.portalBaseUrl, PORTAL_PATHS.reset)}#token=${token}`;
        await this.#deps.events.record('RESET_LINK_ISSUED', auditFields(job, member.key, member));
        await this.#deps.mail.resetLink(member, email, link, RESET_LINK_VALID_MINUTES, job.language, job.requestId);
        return;
      }
      await this.#deps.resetLinks.delete(tokenHash);
      member = await this.#deps.members.get(member.key);
    }
  }
}

export interface CodeResetDependencies {
  readonly members: MemberRepository;
  readonly resetLinks: ResetLinkStore;
  readonly nirHasher: KeyedHasher;
  readonly codeHasher: CodeHasher;
  readonly locks: NirLocks;
  readonly passkeys: PasskeyRemoval;
  readonly mail: MemberMail;
  readonly devices: TrustedDevices;
  readonly clock: Clock;
  readonly events: SecurityEvents;
}

export interface CodeResetRequest {
  readonly token: string;
  readonly nir: string;
  readonly newCode: string;
  readonly newCodeConfirmation: string;
  /** The link proved the mailbox: this browser may be trusted (http-api-v1.md, POST /v1/code/reset). */
  readonly rememberDevice?: boolean | undefined;
}

/**
 * POST /v1/code/reset: the emailed link and the member's NIR set a personal code, once; it does
 * not sign the member in. A stolen mail alone is not enough: the NIR must be the link's member's,
 * and the link dies after a few wrong ones. An intruder's foothold does not survive it: sessions,
 * devices and passkeys go, the NIR's lock and cap are cleared.
 */
export class CodeReset {
  readonly #deps: CodeResetDependencies;

  constructor(dependencies: CodeResetDependencies) {
    this.#deps = dependencies;
  }

  async reset(input: CodeResetRequest, source: MemberRequest): Promise<{ device?: RememberedDevice }> {
    const nir = parseNir(input.nir);
    const newCode = parseNewCode(input, nir);
    const tokenHash = secretHash(input.token);
    const now = this.#deps.clock.now();
    const [key, link] = await Promise.all([
      nirLookupKey(this.#deps.nirHasher, nir),
      // Counted before the NIR is compared: concurrent guesses get no more tries than MAX_RESET_LINK_USES.
      isSecret(input.token) ? this.#deps.resetLinks.reserveUse(tokenHash, now, MAX_RESET_LINK_USES) : undefined,
    ]);
    // Unknown, used, replaced, expired or spent: one answer for all.
    if (!link) throw new InvalidResetTokenError('unknown, expired or spent link');
    if (link.memberKey !== key) {
      await this.#deps.events.record('RESET_LINK_WRONG_NIR', {
        requestId: source.requestId,
        sourceIp: source.sourceIp,
        memberKey: link.memberKey,
      });
      throw new InvalidResetTokenError('not the NIR of the link');
    }
    const member = await this.#deps.members.get(link.memberKey);
    if (!isCurrentLink(member, tokenHash, now)) {
      throw new InvalidResetTokenError('link no longer current');
    }
    const changed = await writePersonalCode(this.#deps, member, newCode, now, tokenHash);
    if (!changed) throw new InvalidResetTokenError('link used concurrently');
    const fields = auditFields(source, member.key, member);
    const [removedPasskeys] = await Promise.all([
      this.#deps.passkeys.removeAll(member, 'RESET_LINK', fields, source),
      this.#deps.resetLinks.delete(tokenHash),
      this.#deps.events.record('RESET_LINK_USED', fields),
      // The mailbox is proven: a stranger's lock and cap on the NIR go.
      this.#deps.locks.clear(member.key, 'RESET_LINK', fields),
      this.#deps.devices.forgetAll(member, { by: 'CODE_CHANGED', source }),
    ]);
    const device =
      input.rememberDevice === true
        ? await this.#deps.devices.remember(member, member.codeVersion + 1, source)
        : undefined;
    await this.#deps.mail.codeChanged(member, source.language, source.requestId, removedPasskeys);
    return { device };
  }
}
