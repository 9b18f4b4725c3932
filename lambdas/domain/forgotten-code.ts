import { CodeConfirmationMismatchError, InvalidResetTokenError, WeakCodeError } from './errors.ts';
import { assertStrongCode } from './code-blocklist.ts';
import { nirWindowDigest, type CodeHasher } from './code-hashing.ts';
import { parseCode } from './code-format.ts';
import { nirLookupKey } from './credential-check.ts';
import type { LetterQueue } from './letters.ts';
import type { Language, MemberMail } from './member-mail.ts';
import type { Member } from './member.ts';
import { parseNir } from './nir.ts';
import type {
  Clock,
  ForgotDispatcher,
  ForgotJob,
  KeyedHasher,
  MemberRepository,
  ResetLinkStore,
  SecurityEvents,
} from './ports.ts';
import { newSecret, secretHash } from './random-secrets.ts';

export const RESET_LINK_VALID_MINUTES = 60;
export const MAX_RESET_MAILS_PER_HOUR = 3;
export const RESET_LINK_PATH = '/mot-de-passe/reinitialiser';
const HOUR_MS = 60 * 60 * 1000;
/** Concurrent requests for one member race on `resetVersion`; each round one of them wins. */
const MAX_ISSUE_ROUNDS = 10;

export interface ForgottenCodeDependencies {
  readonly nirHasher: KeyedHasher;
  readonly dispatcher: ForgotDispatcher;
  readonly members: MemberRepository;
  readonly resetLinks: ResetLinkStore;
  readonly letters: LetterQueue;
  readonly mail: MemberMail;
  readonly clock: Clock;
  readonly events: SecurityEvents;
  /** From configuration only, never from a request header. */
  readonly portalBaseUrl: string;
}

/**
 * "Vous avez oublié votre code d'accès ?": the answer is the same for every well-formed NIR, and
 * the request costs the same whatever the branch — a keyed hash and a hand-off. The branch's work
 * (reset mail, letter, or nothing) happens off the response path, in `process`.
 */
export class ForgottenCode {
  readonly #d: ForgottenCodeDependencies;

  constructor(dependencies: ForgottenCodeDependencies) {
    this.#d = dependencies;
  }

  async request(input: { nir: string }, source: { requestId: string; sourceIp?: string; language: Language }): Promise<void> {
    const nir = parseNir(input.nir);
    const memberKey = await nirLookupKey(this.#d.nirHasher, nir);
    await this.#d.dispatcher.dispatch({ memberKey, requestId: source.requestId, sourceIp: source.sourceIp, language: source.language });
  }

  /** Nothing about the account changes here but the new link (or letter request) itself. */
  async process(job: ForgotJob): Promise<void> {
    const member = await this.#d.members.get(job.memberKey);
    if (!member || member.deactivatedAt !== undefined) {
      await this.#d.events.record('FORGOT_REQUEST_IGNORED', { requestId: job.requestId, sourceIp: job.sourceIp, memberKey: job.memberKey, memberId: member?.memberId });
      return;
    }
    await this.#d.events.record('FORGOT_REQUESTED', { requestId: job.requestId, sourceIp: job.sourceIp, memberKey: member.key, memberId: member.memberId });
    if (member.email) await this.#sendResetLink(member, member.email, job);
    else await this.#d.letters.request(member, 'MEMBER', job.requestId);
  }

  async #sendResetLink(first: Member, email: string, job: ForgotJob): Promise<void> {
    let member: Member | undefined = first;
    for (let round = 0; member && round < MAX_ISSUE_ROUNDS; round++) {
      const now = this.#d.clock.now();
      const recent = (member.recentResetMails ?? []).filter((t) => t > now - HOUR_MS);
      if (recent.length >= MAX_RESET_MAILS_PER_HOUR) {
        await this.#d.events.record('RESET_MAIL_LIMITED', { requestId: job.requestId, sourceIp: job.sourceIp, memberKey: member.key, memberId: member.memberId });
        return;
      }
      const token = newSecret();
      const tokenHash = secretHash(token);
      // The lookup first: a link mailed is always one that can be found.
      await this.#d.resetLinks.put(tokenHash, { memberKey: member.key, expiresAt: now + RESET_LINK_VALID_MINUTES * 60_000 });
      const recorded = await this.#d.members.recordResetLink(member.key, {
        tokenHash,
        issuedAt: now,
        recentResetMails: [...recent, now],
        expectedResetVersion: member.resetVersion ?? 0,
      });
      if (recorded) {
        const link = `${this.#d.portalBaseUrl.replace(/\/+$/, '')}${RESET_LINK_PATH}?token=${token}`;
        await this.#d.events.record('RESET_LINK_ISSUED', { requestId: job.requestId, sourceIp: job.sourceIp, memberKey: member.key, memberId: member.memberId });
        await this.#d.mail.resetLink(member, email, link, RESET_LINK_VALID_MINUTES, job.language, job.requestId);
        return;
      }
      await this.#d.resetLinks.delete(tokenHash);
      member = await this.#d.members.get(member.key);
    }
  }
}

export interface CodeResetDependencies {
  readonly members: MemberRepository;
  readonly resetLinks: ResetLinkStore;
  readonly codeHasher: CodeHasher;
  readonly mail: MemberMail;
  readonly clock: Clock;
  readonly events: SecurityEvents;
}

export interface CodeResetRequest {
  readonly token: string;
  readonly newCode: string;
  readonly newCodeConfirmation: string;
}

/** POST /v1/code/reset: the emailed link sets a personal code, once; it does not sign the member in. */
export class CodeReset {
  readonly #d: CodeResetDependencies;

  constructor(dependencies: CodeResetDependencies) {
    this.#d = dependencies;
  }

  async reset(input: CodeResetRequest, source: { requestId: string; language: Language }): Promise<void> {
    const newCode = parseCode(input.newCode, 'newCode');
    parseCode(input.newCodeConfirmation, 'newCodeConfirmation');
    if (input.newCodeConfirmation !== input.newCode) {
      throw new CodeConfirmationMismatchError('confirmation differs', { fields: { newCodeConfirmation: 'MISMATCH' } });
    }
    // The NIR is not known here: its windows are checked below, against their digests.
    assertStrongCode(newCode);

    const tokenHash = secretHash(input.token);
    const link = /^[A-Za-z0-9_-]{43}$/.test(input.token) ? await this.#d.resetLinks.get(tokenHash) : undefined;
    const now = this.#d.clock.now();
    // Unknown, used, replaced or expired: one answer for all.
    if (!link || link.expiresAt <= now) throw new InvalidResetTokenError('unknown or expired link');
    const member = await this.#d.members.get(link.memberKey);
    if (!member || member.resetTokenHash !== tokenHash || member.deactivatedAt !== undefined) {
      throw new InvalidResetTokenError('link no longer current');
    }
    const peppered = await this.#d.codeHasher.pepper(newCode);
    if (member.nirWindowDigests?.includes(nirWindowDigest(peppered))) {
      throw new WeakCodeError('FROM_NIR', { fields: { newCode: 'FROM_NIR' } });
    }
    const hash = await this.#d.codeHasher.hash(peppered, member.codeSalt);
    const changed = await this.#d.members.setPersonalCode(member.key, {
      hash,
      expectedCodeVersion: member.codeVersion,
      now,
      resetTokenHash: tokenHash,
    });
    if (!changed) throw new InvalidResetTokenError('link used concurrently');
    await this.#d.resetLinks.delete(tokenHash);
    await this.#d.events.record('RESET_LINK_USED', { requestId: source.requestId, memberKey: member.key, memberId: member.memberId });
    await this.#d.mail.codeChanged(member, source.language, source.requestId);
  }
}
