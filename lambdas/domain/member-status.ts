import type { AttemptStore } from './attempts.ts';
import type { LetterStore } from './letters.ts';
import { type LockoutPolicy, reserveAttempt } from './lockout.ts';
import type { DeactivationReason, Member } from './member.ts';
import type { AccessStore } from './member-access.ts';
import type { Terms } from './terms.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** "j•••@example.org": enough for an agent to confirm an address with the member, no more. */
/** What may be shown of an address: its first letter and its domain ("c•••@example.org"). */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}•••@${domain}`;
}

export interface MemberStatus {
  readonly exists: boolean;
  readonly memberId?: string;
  readonly maskedNir?: string;
  readonly personalCodeChosenAt?: number;
  /** The initial code (statements) works until then, while no personal code is chosen. */
  readonly initialCodeValidUntil?: number;
  /**
   * Until when a client without a device cookie of the member is refused: the lock's end, or the
   * 24-hour cap's (`refusedFor`). The member's trusted devices and passkeys are never refused for it.
   */
  readonly lockedUntil?: number;
  readonly refusedFor?: 'LOCK' | '24_HOUR_CAP';
  readonly failuresLast24h: number;
  readonly currentTerms?: string;
  readonly acceptedTerms?: { readonly version: string; readonly at: number };
  readonly emailOnFile?: string;
  readonly letterPendingSince?: number;
  readonly lastLetterSentAt?: number;
  readonly deactivated?: {
    readonly since: number;
    readonly by?: string;
    readonly reason: DeactivationReason;
    readonly clientId?: string;
  };
  readonly clientDeactivatedSince?: number;
  /** The membership feed's end of access, the member's own and their client company's (00:00 Europe/Paris). */
  readonly accessEndsAt?: number;
  readonly clientAccessEndsAt?: number;
  /** "Clé d'accès uniquement": the member's codes are refused (a reset link or a letter lifts it). */
  readonly passkeyOnly?: boolean;
}

export interface MemberStatusDependencies {
  readonly attempts: AttemptStore;
  readonly lockout: LockoutPolicy;
  readonly letters: LetterStore;
  readonly access: AccessStore;
}

/**
 * The questions of the seed's troubleshooting page, for customer service: is there a member,
 * was the personal code taken into account (and when), is the NIR locked, are the terms accepted,
 * is an email on file, is a letter on its way, is access deactivated.
 */
export async function memberStatus(
  memberKey: string,
  member: Member | undefined,
  currentTerms: Terms | undefined,
  now: number,
  d: MemberStatusDependencies,
): Promise<MemberStatus> {
  const { counter } = await d.attempts.loadCounter(memberKey);
  const failuresLast24h = counter.recentFailures.filter((t) => t > now - DAY_MS).length;
  // The same arithmetic as a sign-in: what "locked" says is what the next attempt would get.
  const refused = reserveAttempt(counter, now, d.lockout);
  const lock = refused.allowed
    ? {}
    : {
        lockedUntil: now + refused.retryAfterSeconds * 1000,
        refusedFor: refused.refusal === 'CAPPED' ? ('24_HOUR_CAP' as const) : ('LOCK' as const),
      };
  if (!member) return { exists: false, failuresLast24h, ...lock };
  const [letter, client] = await Promise.all([
    member.letterOutstandingId ? d.letters.get(member.letterOutstandingId) : undefined,
    member.clientId ? d.access.getClient(member.clientId) : undefined,
  ]);
  return {
    exists: true,
    memberId: member.memberId,
    maskedNir: member.maskedNir,
    ...(member.personalCodeSetAt ? { personalCodeChosenAt: member.personalCodeSetAt } : {}),
    ...(!member.personalCodeHash && member.initialCodeHash && member.initialCodeValidUntil
      ? { initialCodeValidUntil: member.initialCodeValidUntil }
      : {}),
    ...lock,
    failuresLast24h,
    ...(currentTerms ? { currentTerms: currentTerms.version } : {}),
    ...(member.termsVersion && member.termsAcceptedAt
      ? { acceptedTerms: { version: member.termsVersion, at: member.termsAcceptedAt } }
      : {}),
    ...(member.email ? { emailOnFile: maskEmail(member.email) } : {}),
    ...(letter ? { letterPendingSince: letter.requestedAt } : {}),
    ...(member.lastLetterExportedAt ? { lastLetterSentAt: member.lastLetterExportedAt } : {}),
    ...(member.deactivatedAt !== undefined
      ? {
          deactivated: {
            since: member.deactivatedAt,
            by: member.deactivatedBy,
            reason: member.deactivationReason ?? 'MEMBER',
            ...(member.deactivationReason === 'CLIENT' && member.clientId ? { clientId: member.clientId } : {}),
          },
        }
      : {}),
    ...(client?.deactivatedAt !== undefined ? { clientDeactivatedSince: client.deactivatedAt } : {}),
    ...(member.accessEndsAt !== undefined ? { accessEndsAt: member.accessEndsAt } : {}),
    ...(member.clientAccessEndsAt !== undefined ? { clientAccessEndsAt: member.clientAccessEndsAt } : {}),
    ...(member.codeSignInDisabled ? { passkeyOnly: true } : {}),
  };
}
