import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';

/** Runs a conditional write; false when its condition failed (someone else wrote first). */
export async function conditionally(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** The same for a transaction: false when one of its conditions failed. */
export async function transactionally(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (
      error instanceof TransactionCanceledException &&
      error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed')
    ) {
      return false;
    }
    throw error;
  }
}

/**
 * Writes a new item (never over an existing one) that expires at `expiresAt`, epoch ms: kept as
 * `validUntil` to the millisecond, which reads and `consumeOnce` check, and as `expiresAt` in
 * seconds for DynamoDB's TTL, which removes it some time after.
 */
export async function putExpiring(
  table: { readonly name: string; readonly client: DynamoDBDocumentClient },
  key: Record<string, string>,
  fields: Record<string, unknown>,
  expiresAt: number,
): Promise<void> {
  await table.client.send(
    new PutCommand({
      TableName: table.name,
      Item: { ...key, ...fields, validUntil: expiresAt, expiresAt: Math.ceil(expiresAt / 1000) },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/**
 * Spends a single-use item (a challenge): deletes it only if it is still there and unexpired
 * (`validUntil` > now), and returns what it held to the one caller whose delete won.
 */
export async function consumeOnce(
  table: { readonly name: string; readonly client: DynamoDBDocumentClient },
  key: Record<string, string>,
  now: number,
  only?: { readonly attribute: string; readonly is: string },
): Promise<Record<string, unknown> | undefined> {
  let deleted: Record<string, unknown> | undefined;
  const won = await conditionally(async () => {
    const { Attributes } = await table.client.send(
      new DeleteCommand({
        TableName: table.name,
        Key: key,
        // Of two concurrent uses only one deletes it; an expired one (or one of another kind) is not spent.
        ConditionExpression: `attribute_exists(pk) AND validUntil > :now${only ? ' AND #only = :only' : ''}`,
        ...(only ? { ExpressionAttributeNames: { '#only': only.attribute } } : {}),
        ExpressionAttributeValues: { ':now': now, ...(only ? { ':only': only.is } : {}) },
        ReturnValues: 'ALL_OLD',
      }),
    );
    deleted = Attributes;
  });
  return won ? deleted : undefined;
}
