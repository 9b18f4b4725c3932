import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { WebAuthnChallengeRecord, WebAuthnChallengeStore } from '../../domain/passkeys.ts';
import { conditionally } from './conditional.ts';
import { keys, type Table } from './table.ts';

export class DynamoWebAuthnChallengeStore implements WebAuthnChallengeStore {
  readonly #t: Table;

  constructor(table: Table) {
    this.#t = table;
  }

  async put(hash: string, record: WebAuthnChallengeRecord): Promise<void> {
    const { expiresAt, ...rest } = record;
    await this.#t.client.send(
      new PutCommand({
        TableName: this.#t.name,
        Item: {
          ...keys.webauthnChallenge(hash),
          ...rest,
          validUntil: expiresAt,
          expiresAt: Math.ceil(expiresAt / 1000),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async consume(hash: string, now: number): Promise<WebAuthnChallengeRecord | undefined> {
    let deleted: Record<string, unknown> | undefined;
    const won = await conditionally(async () => {
      const { Attributes } = await this.#t.client.send(
        new DeleteCommand({
          TableName: this.#t.name,
          Key: keys.webauthnChallenge(hash),
          // Single use: of two concurrent ceremonies with one challenge only one deletes it.
          ConditionExpression: 'attribute_exists(pk) AND validUntil > :now',
          ExpressionAttributeValues: { ':now': now },
          ReturnValues: 'ALL_OLD',
        }),
      );
      deleted = Attributes;
    });
    if (!won || !deleted) return undefined;
    return {
      purpose: deleted['purpose'] as WebAuthnChallengeRecord['purpose'],
      memberKey: deleted['memberKey'] as string | undefined,
      sid: deleted['sid'] as string | undefined,
      createdAt: deleted['createdAt'] as number,
      expiresAt: deleted['validUntil'] as number,
    };
  }
}
