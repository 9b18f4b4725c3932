import type { WebAuthnChallengeRecord, WebAuthnChallengeStore } from '../../domain/passkeys.ts';
import { conditionally, consumeOnce, putExpiring } from './conditional.ts';
import { readItem, WebAuthnChallengeItem } from './item-schemas.ts';
import { keys, type Table } from './table.ts';

export class DynamoWebAuthnChallengeStore implements WebAuthnChallengeStore {
  readonly #t: Table;

  constructor(table: Table) {
    this.#t = table;
  }

  async put(hash: string, record: WebAuthnChallengeRecord): Promise<void> {
    const { expiresAt, ...rest } = record;
    await putExpiring(this.#t, keys.webauthnChallenge(hash), rest, expiresAt);
  }

  recordUse(hash: string, expiresAt: number): Promise<boolean> {
    return conditionally(() => putExpiring(this.#t, keys.webauthnChallenge(hash), { purpose: 'USED' }, expiresAt));
  }

  async consume(hash: string, now: number): Promise<WebAuthnChallengeRecord | undefined> {
    // Only an enrolment's challenge: the mark that a sign-in challenge was answered is never spent here.
    const deleted = await consumeOnce(this.#t, keys.webauthnChallenge(hash), now, {
      attribute: 'purpose',
      is: 'REGISTER',
    });
    if (!deleted) return undefined;
    const { validUntil, ...challenge } = readItem(WebAuthnChallengeItem, deleted, 'passkey challenge');
    return { ...challenge, expiresAt: validUntil };
  }
}
