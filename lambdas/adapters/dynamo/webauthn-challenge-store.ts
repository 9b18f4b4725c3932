import type { WebAuthnChallengeRecord, WebAuthnChallengeStore } from '../../domain/passkeys.ts';
import { conditionally, consumeOnce, putExpiring } from './conditional.ts';
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
    const deleted = await consumeOnce(this.#t, keys.webauthnChallenge(hash), now);
    if (!deleted) return undefined;
    return {
      purpose: deleted['purpose'] as WebAuthnChallengeRecord['purpose'],
      memberKey: deleted['memberKey'] as string | undefined,
      sid: deleted['sid'] as string | undefined,
      createdAt: deleted['createdAt'] as number,
      expiresAt: deleted['validUntil'] as number,
    };
  }
}
