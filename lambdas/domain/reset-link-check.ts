import { InvalidResetTokenError } from './errors.ts';
import { isCurrentLink, MAX_RESET_LINK_USES, type ResetLinkStore } from './forgotten-code.ts';
import type { MemberRepository } from './member.ts';
import type { Clock } from './ports.ts';
import { isSecret, secretHash } from './random-secrets.ts';

export interface ResetLinkCheckDependencies {
  readonly resetLinks: ResetLinkStore;
  readonly members: MemberRepository;
  readonly clock: Clock;
}

/**
 * POST /v1/code/reset/check: whether a reset link would still be taken, read without spending it —
 * the reset page asks on arrival, so that a used, replaced or expired link says so before the
 * member fills the form. It changes nothing and counts nothing (the link is a 256-bit secret: the
 * answer tells its holder only what the reset would).
 */
export class ResetLinkCheck {
  readonly #deps: ResetLinkCheckDependencies;

  constructor(dependencies: ResetLinkCheckDependencies) {
    this.#deps = dependencies;
  }

  /** The instant the link stops working; `400 INVALID_RESET_TOKEN` when it already has. */
  async check(token: string): Promise<{ readonly expiresAt: number }> {
    if (!isSecret(token)) throw new InvalidResetTokenError('not a link');
    const tokenHash = secretHash(token);
    const now = this.#deps.clock.now();
    const link = await this.#deps.resetLinks.find(tokenHash, now, MAX_RESET_LINK_USES);
    if (!link) throw new InvalidResetTokenError('unknown, expired or spent link');
    const member = await this.#deps.members.get(link.memberKey);
    if (!isCurrentLink(member, tokenHash, now)) {
      throw new InvalidResetTokenError('link no longer current');
    }
    return { expiresAt: link.expiresAt };
  }
}
