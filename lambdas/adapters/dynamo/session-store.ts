import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PendingAuditEntry } from '../../domain/audit-events.ts';
import type { SessionRecord, SessionRevocationReason, SessionStore } from '../../domain/sessions.ts';
import { type AuditRetentionDays, auditItem } from './audit-trail.ts';
import { conditionally, transactionally } from './conditional.ts';
import { readItem, SessionItem } from './item-schemas.ts';
import { queryAll } from './query-pages.ts';
import { GROUP_INDEX, groupKeys, keys, type Table } from './table.ts';

const sortKeyAt = (at: number) => String(at).padStart(15, '0');

const toSession = (item: Record<string, unknown>): SessionRecord => readItem(SessionItem, item, 'session');

/** Sessions are kept a day past their absolute end, for replay detection and investigation. */
const RETENTION_AFTER_END_SECONDS = 24 * 60 * 60;

export class DynamoSessionStore implements SessionStore {
  readonly #t: Table;
  readonly #retentionDays: AuditRetentionDays;

  constructor(table: Table, auditRetentionDays: AuditRetentionDays) {
    this.#t = table;
    this.#retentionDays = auditRetentionDays;
  }

  create(session: SessionRecord, audit: readonly PendingAuditEntry[]): Promise<boolean> {
    return transactionally(() =>
      this.#t.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.#t.name,
                Item: {
                  ...keys.session(session.sid),
                  ...session,
                  // Listed under the member, newest first.
                  groupPk: groupKeys.memberSessions(session.memberKey),
                  groupSk: `${sortKeyAt(session.createdAt)}#${session.sid}`,
                  expiresAt: Math.ceil(session.absoluteExpiresAt / 1000) + RETENTION_AFTER_END_SECONDS,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              // A sign-in that checked a code since changed, or a member deactivated meanwhile, writes no session.
              ConditionCheck: {
                TableName: this.#t.name,
                Key: keys.member(session.memberKey),
                ConditionExpression: 'codeVersion = :v AND attribute_not_exists(deactivatedAt)',
                ExpressionAttributeValues: { ':v': session.codeVersion },
              },
            },
            ...audit.map(({ memberKey, entry, retention }) => ({
              Put: {
                TableName: this.#t.name,
                Item: auditItem(memberKey, entry, this.#retentionDays[retention]),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
          ],
        }),
      ),
    );
  }

  async get(sid: string): Promise<SessionRecord | undefined> {
    const { Item } = await this.#t.client.send(
      new GetCommand({ TableName: this.#t.name, Key: keys.session(sid), ConsistentRead: true }),
    );
    return Item ? toSession(Item) : undefined;
  }

  async listByMember(memberKey: string): Promise<SessionRecord[]> {
    const sessions: SessionRecord[] = [];
    for await (const item of queryAll(this.#t, {
      IndexName: GROUP_INDEX.name,
      KeyConditionExpression: '#g = :g',
      ExpressionAttributeNames: { '#g': GROUP_INDEX.partition },
      ExpressionAttributeValues: { ':g': groupKeys.memberSessions(memberKey) },
      ScanIndexForward: false,
    })) {
      sessions.push(toSession(item));
    }
    return sessions;
  }

  rotate(session: SessionRecord, nextHash: string, now: number, keepPrevious: number): Promise<boolean> {
    const expectedHash = session.refreshHash;
    const previousRefreshHashes = [...session.previousRefreshHashes, expectedHash].slice(-keepPrevious);
    return conditionally(() =>
      this.#t.client.send(
        new UpdateCommand({
          TableName: this.#t.name,
          Key: keys.session(session.sid),
          UpdateExpression:
            'SET refreshHash = :next, rotatedFromHash = :expected, rotatedAt = :now, previousRefreshHashes = :previous, lastRefreshAt = :now',
          // Exactly one of two concurrent refreshes with the same token wins.
          ConditionExpression: 'refreshHash = :expected AND attribute_not_exists(revokedAt)',
          ExpressionAttributeValues: {
            ':next': nextHash,
            ':previous': previousRefreshHashes,
            ':now': now,
            ':expected': expectedHash,
          },
        }),
      ),
    );
  }

  rebind(
    sid: string,
    fromCodeVersion: number,
    to: { codeVersion: number; deviceId?: string | undefined },
  ): Promise<boolean> {
    return conditionally(() =>
      this.#t.client.send(
        new UpdateCommand({
          TableName: this.#t.name,
          Key: keys.session(sid),
          UpdateExpression: to.deviceId
            ? 'SET codeVersion = :to, deviceId = :device'
            : 'SET codeVersion = :to REMOVE deviceId',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt) AND codeVersion = :from',
          ExpressionAttributeValues: {
            ':from': fromCodeVersion,
            ':to': to.codeVersion,
            ...(to.deviceId ? { ':device': to.deviceId } : {}),
          },
        }),
      ),
    );
  }

  async revoke(sid: string, reason: SessionRevocationReason, now: number): Promise<void> {
    await conditionally(() =>
      this.#t.client.send(
        new UpdateCommand({
          TableName: this.#t.name,
          Key: keys.session(sid),
          UpdateExpression: 'SET revokedAt = :now, revokeReason = :reason',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
          ExpressionAttributeValues: { ':now': now, ':reason': reason },
        }),
      ),
    );
  }
}
