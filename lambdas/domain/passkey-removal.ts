import type { Language } from './language.ts';
import type { Member, MemberRepository } from './member.ts';
import type { MemberMail } from './member-mail.ts';
import type { PasskeyStore } from './passkeys.ts';
import type { EventFields, SecurityEvents } from './ports.ts';

/** Why every passkey of a member goes: a recovery (a used reset link, a letter's code) or customer service. */
export type PasskeyRemovalReason = 'RESET_LINK' | 'LETTER_CODE' | 'OPERATOR';

/**
 * An intruder's foothold does not survive recovery (http-api-v1.md, POST /v1/login: "what a stranger with a NIR can no longer do"): a used reset link
 * or a letter's code removes every passkey of the member — an intruder who added one would otherwise
 * sign back in with it and turn passkey-only on again — and so may customer service (`sign-out
 * --passkeys`). No WebAuthn here: only the store, so that the functions that recover stay small.
 */
export interface PasskeyRemovalDependencies {
  readonly passkeys: Pick<PasskeyStore, 'listByMember' | 'delete'>;
  readonly members: Pick<MemberRepository, 'setCodeSignInDisabled'>;
  readonly mail: Pick<MemberMail, 'codeSignInRestored'>;
  readonly events: SecurityEvents;
}

export class PasskeyRemoval {
  readonly #deps: PasskeyRemovalDependencies;

  constructor(deps: PasskeyRemovalDependencies) {
    this.#deps = deps;
  }

  /**
   * Removes every passkey of the member, each audited, and ends passkey-only (else the member would
   * have no way in): after a recovery the new code has already turned code sign-in back on and the
   * member is told; customer service turns it back on here and tells the member on the phone.
   * Returns the removed passkeys' names, oldest first, for the member's notice.
   */
  async removeAll(
    member: Member,
    reason: PasskeyRemovalReason,
    fields: EventFields,
    source: { readonly language: Language; readonly requestId: string },
  ): Promise<string[]> {
    const { passkeys: store, members, mail, events } = this.#deps;
    const passkeys = (await store.listByMember(member.key)).sort((a, b) => a.createdAt - b.createdAt);
    await Promise.all(
      passkeys.map(async (passkey) => {
        await store.delete(passkey.credentialId);
        await events.record('PASSKEY_REMOVED', {
          ...fields,
          memberKey: member.key,
          memberId: passkey.memberId,
          reason,
        });
      }),
    );
    if (member.codeSignInDisabled) {
      if (reason === 'OPERATOR') await members.setCodeSignInDisabled(member.key, false);
      await events.record('CODE_SIGN_IN_ENABLED', { ...fields, memberKey: member.key, reason });
      if (reason !== 'OPERATOR') await mail.codeSignInRestored(member, source.language, source.requestId);
    }
    return passkeys.map((p) => p.name);
  }
}
