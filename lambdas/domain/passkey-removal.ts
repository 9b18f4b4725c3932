import type { PasskeyStore } from './passkeys.ts';
import type { EventFields, SecurityEvents } from './ports.ts';

/** Why every passkey of a member goes: a recovery (a used reset link, a letter's code) or customer service. */
export type PasskeyRemovalReason = 'RESET_LINK' | 'LETTER_CODE' | 'OPERATOR';

/**
 * An intruder's foothold does not survive recovery (contract, amended 2026-12-07): a used reset link
 * or a letter's code removes every passkey of the member — an intruder who added one would otherwise
 * sign back in with it and turn passkey-only on again — and so may customer service (`sign-out
 * --passkeys`). No WebAuthn here: only the store, so that the functions that recover stay small.
 */
export class PasskeyRemoval {
  readonly #passkeys: Pick<PasskeyStore, 'listByMember' | 'delete'>;
  readonly #events: SecurityEvents;

  constructor(passkeys: Pick<PasskeyStore, 'listByMember' | 'delete'>, events: SecurityEvents) {
    this.#passkeys = passkeys;
    this.#events = events;
  }

  /** Removes every passkey of the member, each audited: their names, oldest first, for the member's notice. */
  async removeAll(memberKey: string, reason: PasskeyRemovalReason, fields: EventFields): Promise<string[]> {
    const passkeys = (await this.#passkeys.listByMember(memberKey)).sort((a, b) => a.createdAt - b.createdAt);
    await Promise.all(
      passkeys.map(async (passkey) => {
        await this.#passkeys.delete(passkey.credentialId);
        await this.#events.record('PASSKEY_REMOVED', { ...fields, memberKey, memberId: passkey.memberId, reason });
      }),
    );
    return passkeys.map((p) => p.name);
  }
}
