import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  ImportedProfile,
  Member,
  MemberRepository,
  PersonalCodeChange,
  ResetLinkIssue,
  TermsAcceptance,
  UpsertedProfile,
} from '../../domain/member.ts';
import { conditionally } from './conditional.ts';
import { MemberItem, PasskeyUserIdItem, readItem } from './item-schemas.ts';
import { groupKeys, keys, type Table } from './table.ts';

export const toMember = (item: Record<string, unknown>): Member => readItem(MemberItem, item, 'member');

export class DynamoMemberRepository implements MemberRepository {
  readonly #t: Table;

  constructor(table: Table) {
    this.#t = table;
  }

  async get(key: string): Promise<Member | undefined> {
    const { Item } = await this.#t.client.send(
      new GetCommand({ TableName: this.#t.name, Key: keys.member(key), ConsistentRead: true }),
    );
    return Item ? toMember(Item) : undefined;
  }

  setPersonalCode(key: string, change: PersonalCodeChange): Promise<boolean> {
    const viaResetLink = change.resetTokenHash !== undefined;
    return conditionally(() =>
      this.#t.client.send(
        new UpdateCommand({
          TableName: this.#t.name,
          Key: keys.member(key),
          // The one place a code changes: every other code and every reset link stop working.
          // The new codeVersion ends every session and challenge bound to the former one.
          UpdateExpression:
            'SET personalCodeHash = :hash, personalCodeSetAt = :now, codeVersion = :next, updatedAt = :now ' +
            'REMOVE initialCodeHash, initialCodeValidUntil, temporaryCodeHash, temporaryCodeValidUntil, resetTokenHash, resetIssuedAt, sessionsValidAfter, codeSignInDisabled',
          ConditionExpression:
            'attribute_exists(pk) AND codeVersion = :expected' +
            (viaResetLink ? ' AND resetTokenHash = :resetTokenHash' : ''),
          ExpressionAttributeValues: {
            ':hash': change.hash,
            ':now': change.now,
            ':expected': change.expectedCodeVersion,
            ':next': change.expectedCodeVersion + 1,
            ...(viaResetLink ? { ':resetTokenHash': change.resetTokenHash } : {}),
          },
        }),
      ),
    );
  }

  recordResetLink(key: string, link: ResetLinkIssue): Promise<boolean> {
    return conditionally(() =>
      this.#t.client.send(
        new UpdateCommand({
          TableName: this.#t.name,
          Key: keys.member(key),
          UpdateExpression:
            'SET resetTokenHash = :hash, resetIssuedAt = :at, recentResetMails = :mails, resetVersion = :next',
          ConditionExpression:
            'attribute_exists(pk) AND ' +
            (link.expectedResetVersion === 0 ? 'attribute_not_exists(resetVersion)' : 'resetVersion = :expected'),
          ExpressionAttributeValues: {
            ':hash': link.tokenHash,
            ':at': link.issuedAt,
            ':mails': link.recentResetMails,
            ':next': link.expectedResetVersion + 1,
            ...(link.expectedResetVersion === 0 ? {} : { ':expected': link.expectedResetVersion }),
          },
        }),
      ),
    );
  }

  async replaceCodeHash(key: string, field: 'personalCodeHash', previous: string, next: string): Promise<void> {
    await conditionally(() =>
      this.#t.client.send(
        new UpdateCommand({
          TableName: this.#t.name,
          Key: keys.member(key),
          UpdateExpression: 'SET #f = :next',
          ConditionExpression: '#f = :previous',
          ExpressionAttributeNames: { '#f': field },
          ExpressionAttributeValues: { ':next': next, ':previous': previous },
        }),
      ),
    );
  }

  async recordTermsAcceptance(key: string, acceptance: TermsAcceptance): Promise<void> {
    // The proof item first: a member is never marked as having accepted without its proof.
    await this.#t.client.send(
      new PutCommand({
        TableName: this.#t.name,
        Item: { ...keys.termsAcceptance(key, acceptance.version, acceptance.acceptedAt), ...acceptance },
      }),
    );
    await this.#t.client.send(
      new UpdateCommand({
        TableName: this.#t.name,
        Key: keys.member(key),
        UpdateExpression: 'SET termsVersion = :v, termsAcceptedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':v': acceptance.version, ':at': acceptance.acceptedAt },
      }),
    );
  }

  async upsertProfile(profile: ImportedProfile, now: number): Promise<UpsertedProfile | undefined> {
    const optional = {
      email: profile.email,
      address: profile.address,
      clientId: profile.clientId,
      importDigest: profile.importDigest,
      // Left as it is when the file has no endDate column; cleared by an empty one.
      ...(profile.accessEndsAt === undefined ? {} : { accessEndsAt: profile.accessEndsAt ?? undefined }),
    };
    const present = Object.entries(optional).filter(([, v]) => v !== undefined);
    const absent = Object.entries(optional).filter(([, v]) => v === undefined);
    const update =
      'SET #key = :key, memberId = if_not_exists(memberId, :memberId), codeSalt = if_not_exists(codeSalt, :codeSalt), firstName = :firstName, lastName = :lastName, ' +
      'maskedNir = :maskedNir, codeVersion = if_not_exists(codeVersion, :zero), ' +
      'createdAt = if_not_exists(createdAt, :now), updatedAt = :now' +
      present.map(([name]) => `, ${name} = :${name}`).join('') +
      // Members of a client company are listed through the group index (CGU 3.6 deactivation).
      (profile.clientId ? ', groupPk = :groupPk, groupSk = :key' : '') +
      (profile.initialCode ? ', initialCodeHash = :initialHash, initialCodeValidUntil = :initialUntil' : '') +
      // Nothing derived from the NIR but the key: digests of its windows, kept by earlier versions, go.
      ` REMOVE ${[...absent.map(([name]) => name), ...(profile.clientId ? [] : ['groupPk', 'groupSk']), 'nirWindowDigests'].join(', ')}`;
    let Attributes: Record<string, unknown> | undefined;
    const written = await conditionally(async () => {
      ({ Attributes } = await this.#t.client.send(
        new UpdateCommand({
          TableName: this.#t.name,
          Key: keys.member(profile.key),
          UpdateExpression: update,
          ExpressionAttributeNames: { '#key': 'key' },
          ExpressionAttributeValues: {
            ':key': profile.key,
            ':memberId': profile.newMemberId,
            ':codeSalt': profile.newCodeSalt,
            ':firstName': profile.firstName,
            ':lastName': profile.lastName,
            ':maskedNir': profile.maskedNir,
            ':zero': 0,
            ':now': now,
            ...Object.fromEntries(present.map(([name, value]) => [`:${name}`, value])),
            ...(profile.clientId ? { ':groupPk': groupKeys.clientMembers(profile.clientId) } : {}),
            ...(profile.initialCode
              ? { ':initialHash': profile.initialCode.hash, ':initialUntil': profile.initialCode.validUntil }
              : {}),
          },
          // The initial code only for a member without a personal code, hashed with their own salt.
          ...(profile.initialCode
            ? {
                ConditionExpression:
                  // personalCodeSetAt is written with every personal code (setPersonalCode): naming it, not
                  // the hash, keeps the code hash out of what the feed's worker may name (dynamodb:Attributes).
                  'attribute_not_exists(personalCodeSetAt) AND (attribute_not_exists(codeSalt) OR codeSalt = :codeSalt)',
              }
            : {}),
          // The item as it was: whether it existed, and the address a reset link may have gone to.
          ReturnValues: 'ALL_OLD',
        }),
      ));
    });
    if (!written) return undefined;
    const before = Attributes?.['memberId'] ? toMember(Attributes) : undefined;
    if (before?.resetTokenHash && before.email !== profile.email) {
      await this.#revokeResetLink(profile.key, before.resetTokenHash);
    }
    return before
      ? {
          created: false,
          hasPersonalCode: Boolean(before.personalCodeHash),
          codeSalt: before.codeSalt,
          memberId: before.memberId,
        }
      : { created: true, hasPersonalCode: false, codeSalt: profile.newCodeSalt, memberId: profile.newMemberId };
  }

  /** A link mailed to a former address stops working (http-api-v1.md, POST /v1/login: "what a stranger with a NIR can no longer do") — that link only, not a newer one. */
  async #revokeResetLink(key: string, tokenHash: string): Promise<void> {
    await conditionally(() =>
      this.#t.client.send(
        new UpdateCommand({
          TableName: this.#t.name,
          Key: keys.member(key),
          UpdateExpression: 'REMOVE resetTokenHash, resetIssuedAt',
          ConditionExpression: 'resetTokenHash = :hash',
          ExpressionAttributeValues: { ':hash': tokenHash },
        }),
      ),
    );
  }

  setInitialCodeHash(key: string, hash: string, validUntil: number): Promise<boolean> {
    return conditionally(() =>
      this.#t.client.send(
        new UpdateCommand({
          TableName: this.#t.name,
          Key: keys.member(key),
          UpdateExpression: 'SET initialCodeHash = :hash, initialCodeValidUntil = :until',
          // A re-import never undoes the member's own code.
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(personalCodeHash)',
          ExpressionAttributeValues: { ':hash': hash, ':until': validUntil },
        }),
      ),
    );
  }

  recordLockNotice(key: string, lockedUntil: number): Promise<boolean> {
    return conditionally(() =>
      this.#t.client.send(
        new UpdateCommand({
          TableName: this.#t.name,
          Key: keys.member(key),
          UpdateExpression: 'SET lockNoticeFor = :until',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(lockNoticeFor) OR lockNoticeFor <> :until)',
          ExpressionAttributeValues: { ':until': lockedUntil },
        }),
      ),
    );
  }

  async ensurePasskeyUserId(key: string, candidate: string): Promise<string> {
    const { Attributes } = await this.#t.client.send(
      new UpdateCommand({
        TableName: this.#t.name,
        Key: keys.member(key),
        UpdateExpression: 'SET passkeyUserId = if_not_exists(passkeyUserId, :candidate)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':candidate': candidate },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return readItem(PasskeyUserIdItem, Attributes ?? {}, 'member').passkeyUserId;
  }

  async setCodeSignInDisabled(key: string, disabled: boolean): Promise<void> {
    await this.#t.client.send(
      new UpdateCommand({
        TableName: this.#t.name,
        Key: keys.member(key),
        UpdateExpression: disabled ? 'SET codeSignInDisabled = :yes' : 'REMOVE codeSignInDisabled',
        ConditionExpression: 'attribute_exists(pk)',
        ...(disabled ? { ExpressionAttributeValues: { ':yes': true } } : {}),
      }),
    );
  }
}
