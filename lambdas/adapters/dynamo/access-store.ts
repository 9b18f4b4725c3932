import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../../domain/audit-events.ts';
import type { DeactivationReason } from '../../domain/member.ts';
import type { AccessStore, ClientMember, ClientRecord, Deactivation } from '../../domain/member-access.ts';
import { auditItem } from './audit-trail.ts';
import { conditionally, transactionally } from './conditional.ts';
import { ClientItem, ClientMemberItem, readItem } from './item-schemas.ts';
import { queryAll } from './query-pages.ts';
import { GROUP_INDEX, groupKeys, keys, type Table } from './table.ts';

export class DynamoAccessStore implements AccessStore {
  readonly #t: Table;
  readonly #retentionDays: number;

  constructor(table: Table, auditRetentionDays: number) {
    this.#t = table;
    this.#retentionDays = auditRetentionDays;
  }

  deactivate(memberKey: string, d: Deactivation, audit: AuditEntry): Promise<boolean> {
    return this.#withAudit(memberKey, audit, {
      // A new codeVersion: every session and challenge dies with the access, and stays dead after a reactivation.
      UpdateExpression:
        'SET deactivatedAt = :at, deactivatedBy = :by, deactivationReason = :reason ADD codeVersion :one',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deactivatedAt)',
      ExpressionAttributeValues: { ':at': d.at, ':by': d.by, ':reason': d.reason, ':one': 1 },
    });
  }

  reactivate(memberKey: string, onlyReason: DeactivationReason | undefined, audit: AuditEntry): Promise<boolean> {
    return this.#withAudit(memberKey, audit, {
      UpdateExpression: 'REMOVE deactivatedAt, deactivatedBy, deactivationReason',
      ConditionExpression: `attribute_exists(deactivatedAt)${onlyReason ? ' AND deactivationReason = :reason' : ''}`,
      ...(onlyReason ? { ExpressionAttributeValues: { ':reason': onlyReason } } : {}),
    });
  }

  async getClient(clientId: string): Promise<ClientRecord | undefined> {
    const { Item } = await this.#t.client.send(
      new GetCommand({ TableName: this.#t.name, Key: keys.client(clientId), ConsistentRead: true }),
    );
    return Item
      ? {
          clientId,
          ...readItem(ClientItem, Item, 'client'),
        }
      : undefined;
  }

  async setClientDeactivation(clientId: string, deactivation: { at: number; by: string } | undefined): Promise<void> {
    if (deactivation) {
      await this.#t.client.send(
        new UpdateCommand({
          TableName: this.#t.name,
          Key: keys.client(clientId),
          // Kept from the first run: an interrupted deactivation run again keeps its date.
          UpdateExpression:
            'SET clientId = :id, deactivatedAt = if_not_exists(deactivatedAt, :at), deactivatedBy = if_not_exists(deactivatedBy, :by)',
          ExpressionAttributeValues: { ':id': clientId, ':at': deactivation.at, ':by': deactivation.by },
        }),
      );
    } else {
      // Its name and end date stay: only the deactivation goes.
      await this.#t.client.send(
        new UpdateCommand({
          TableName: this.#t.name,
          Key: keys.client(clientId),
          UpdateExpression: 'SET clientId = :id REMOVE deactivatedAt, deactivatedBy',
          ExpressionAttributeValues: { ':id': clientId },
        }),
      );
    }
  }

  async setClientProfile(
    clientId: string,
    profile: { readonly name: string; readonly accessEndsAt: number | null },
  ): Promise<{ readonly previousAccessEndsAt?: number | undefined }> {
    const { Attributes } = await this.#t.client.send(
      new UpdateCommand({
        TableName: this.#t.name,
        Key: keys.client(clientId),
        UpdateExpression: `SET clientId = :id, #name = :name${profile.accessEndsAt === null ? ' REMOVE accessEndsAt' : ', accessEndsAt = :ends'}`,
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: {
          ':id': clientId,
          ':name': profile.name,
          ...(profile.accessEndsAt === null ? {} : { ':ends': profile.accessEndsAt }),
        },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes ? { previousAccessEndsAt: readItem(ClientItem, Attributes, 'client').accessEndsAt } : {};
  }

  async setMemberClientEnd(memberKey: string, accessEndsAt: number | null): Promise<void> {
    await conditionally(() =>
      this.#t.client.send(
        new UpdateCommand({
          TableName: this.#t.name,
          Key: keys.member(memberKey),
          UpdateExpression: accessEndsAt === null ? 'REMOVE clientAccessEndsAt' : 'SET clientAccessEndsAt = :ends',
          ConditionExpression: 'attribute_exists(pk)',
          ...(accessEndsAt === null ? {} : { ExpressionAttributeValues: { ':ends': accessEndsAt } }),
        }),
      ),
    );
  }

  async *membersOfClient(clientId: string): AsyncIterable<ClientMember> {
    for await (const item of queryAll(this.#t, {
      IndexName: GROUP_INDEX.name,
      KeyConditionExpression: '#g = :g',
      ExpressionAttributeNames: { '#g': GROUP_INDEX.partition, '#k': 'key', '#m': 'memberId', '#d': 'deactivatedAt' },
      ExpressionAttributeValues: { ':g': groupKeys.clientMembers(clientId) },
      ProjectionExpression: '#k, #m, #d',
    })) {
      const { key, memberId, deactivatedAt } = readItem(ClientMemberItem, item, 'member');
      yield { key, memberId, deactivated: deactivatedAt !== undefined };
    }
  }

  /** The change and its audit entry in one transaction: each transition is audited exactly once. */
  async #withAudit(
    memberKey: string,
    audit: AuditEntry,
    update: {
      UpdateExpression: string;
      ConditionExpression: string;
      ExpressionAttributeValues?: Record<string, unknown>;
    },
  ): Promise<boolean> {
    return transactionally(() =>
      this.#t.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: { TableName: this.#t.name, Key: keys.member(memberKey), ...update } },
            {
              Put: {
                TableName: this.#t.name,
                Item: auditItem(memberKey, audit, this.#retentionDays),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      ),
    );
  }
}
