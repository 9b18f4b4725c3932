import type { AuditEntry } from './audit-events.ts';
import { outcomeOf } from './audit-events.ts';
import { forEachBounded } from './bounded-concurrency.ts';
import type { DeactivationReason } from './member.ts';
import type { Clock } from './ports.ts';

export interface Deactivation {
  readonly at: number;
  /** The operator who ran the command. */
  readonly by: string;
  readonly reason: DeactivationReason;
}

export interface ClientRecord {
  readonly clientId: string;
  readonly name?: string | undefined;
  readonly deactivatedAt?: number | undefined;
  readonly deactivatedBy?: string | undefined;
  /** 00:00 Europe/Paris on the company's end date (`import-clients`). */
  readonly accessEndsAt?: number | undefined;
}

/** What ended access: an operator or the console, or an end date reached (the membership feed). */
export type DeactivationTrigger = 'OPERATOR' | 'END_DATE';

/** Deactivation state of members and client companies (CGU 3.5 / 3.6). */
export interface AccessStore {
  /** Active → deactivated, with its audit entry, both or neither; false when it already was. */
  deactivate(memberKey: string, deactivation: Deactivation, audit: AuditEntry): Promise<boolean>;
  /** Deactivated (for `onlyReason`, when given) → active, with its audit entry; false otherwise. */
  reactivate(memberKey: string, onlyReason: DeactivationReason | undefined, audit: AuditEntry): Promise<boolean>;
  getClient(clientId: string): Promise<ClientRecord | undefined>;
  setClientDeactivation(clientId: string, deactivation: { at: number; by: string } | undefined): Promise<void>;
  /**
   * `import-clients`: the company's name and end date (`null` clears it); returns the end it had.
   * Its deactivation, if any, is left as it is.
   */
  setClientProfile(
    clientId: string,
    profile: { readonly name: string; readonly accessEndsAt: number | null },
  ): Promise<{ readonly previousAccessEndsAt?: number | undefined }>;
  /** The client company's end copied onto one of its members (`null` clears it): the sign-in check reads one item. */
  setMemberClientEnd(memberKey: string, accessEndsAt: number | null): Promise<void>;
  /** The members attached to a client, page by page. */
  membersOfClient(clientId: string): AsyncIterable<ClientMember>;
}

export interface OperatorContext {
  /** Who runs the command, verified: the local user, or the AWS principal on a deployed stage. */
  readonly operator: string;
  /** A name the operator gave (`OPERATOR`): kept beside the verified identity, never instead of it. */
  readonly operatorClaim?: string | undefined;
  readonly requestId: string;
}

export interface ClientMember {
  readonly key: string;
  readonly memberId: string;
  readonly deactivated: boolean;
}

export type BulkProgress = (done: number) => void;

export interface BulkReport {
  readonly changed: number;
  readonly unchanged: number;
}

/** Parallel member updates in a client-wide run: bounded so DynamoDB is not flooded. */
const BULK_CONCURRENCY = 8;
const PROGRESS_EVERY = 500;

/**
 * CGU 3.5 and 3.6: access ends when a member leaves, and for every member of a client company
 * when the company loses its rights. Each transition is conditional and audited in the same
 * transaction, so re-running an interrupted command changes (and audits) each member once.
 */
export class MemberAccess {
  readonly #store: AccessStore;
  readonly #clock: Clock;

  constructor(store: AccessStore, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  async deactivateMember(
    memberKey: string,
    memberId: string,
    ctx: OperatorContext,
    trigger: DeactivationTrigger = 'OPERATOR',
  ): Promise<boolean> {
    return this.#deactivate(memberKey, memberId, 'MEMBER', ctx, triggerDetail(trigger));
  }

  /** Refused (`CLIENT_DEACTIVATED`) while the member's client company is deactivated. */
  async reactivateMember(memberKey: string, memberId: string, clientId: string | undefined, ctx: OperatorContext) {
    if (clientId && (await this.#store.getClient(clientId))?.deactivatedAt !== undefined)
      return 'CLIENT_DEACTIVATED' as const;
    const done = await this.#store.reactivate(
      memberKey,
      undefined,
      this.#audit('MEMBER_REACTIVATED', memberId, ctx, { reason: 'MEMBER' }),
    );
    return done ? ('REACTIVATED' as const) : ('NOT_DEACTIVATED' as const);
  }

  /** Marks the client first, so members imported or attached later are deactivated too; then each member. */
  async deactivateClient(
    clientId: string,
    ctx: OperatorContext,
    progress: BulkProgress,
    trigger: DeactivationTrigger = 'OPERATOR',
  ): Promise<BulkReport> {
    await this.#store.setClientDeactivation(clientId, { at: this.#clock.now(), by: ctx.operator });
    return this.#eachMember(clientId, progress, (m) =>
      this.#deactivate(m.key, m.memberId, 'CLIENT', ctx, { clientId, ...triggerDetail(trigger) }),
    );
  }

  /**
   * `import-clients`: the company's end date set, moved or cleared, and copied onto each member (so
   * that a sign-in reads one item). Members imported later copy it from the company (`applyClientState`).
   */
  async setClientEnd(
    clientId: string,
    name: string,
    accessEndsAt: number | null,
    progress: BulkProgress,
  ): Promise<{ readonly changed: boolean; readonly members: number }> {
    const { previousAccessEndsAt } = await this.#store.setClientProfile(clientId, { name, accessEndsAt });
    if ((previousAccessEndsAt ?? null) === accessEndsAt) return { changed: false, members: 0 };
    const report = await this.#eachMember(clientId, progress, async (m) => {
      await this.#store.setMemberClientEnd(m.key, accessEndsAt);
      return true;
    });
    return { changed: true, members: report.changed };
  }

  /** What `deactivateClient` would do, changing nothing (`--dry-run`). */
  async previewClientDeactivation(clientId: string): Promise<BulkReport> {
    let changed = 0;
    let unchanged = 0;
    for await (const member of this.#store.membersOfClient(clientId)) {
      if (member.deactivated) unchanged++;
      else changed++;
    }
    return { changed, unchanged };
  }

  /** Reactivates the members deactivated with the client, not those deactivated on their own. */
  async reactivateClient(clientId: string, ctx: OperatorContext, progress: BulkProgress): Promise<BulkReport> {
    await this.#store.setClientDeactivation(clientId, undefined);
    return this.#eachMember(clientId, progress, (m) =>
      this.#store.reactivate(
        m.key,
        'CLIENT',
        this.#audit('MEMBER_REACTIVATED', m.memberId, ctx, { reason: 'CLIENT', clientId }),
      ),
    );
  }

  /**
   * For the import: a member attached to a deactivated client is deactivated at once; one attached
   * to a client with an end date takes that date.
   */
  async applyClientState(
    memberKey: string,
    memberId: string,
    clientId: string,
    ctx: OperatorContext,
  ): Promise<boolean> {
    const client = await this.#store.getClient(clientId);
    if (client?.accessEndsAt !== undefined) await this.#store.setMemberClientEnd(memberKey, client.accessEndsAt);
    if (client?.deactivatedAt === undefined) return false;
    return this.#deactivate(memberKey, memberId, 'CLIENT', ctx, { clientId });
  }

  #deactivate(
    memberKey: string,
    memberId: string | undefined,
    reason: DeactivationReason,
    ctx: OperatorContext,
    detail: Record<string, string> = {},
  ) {
    const at = this.#clock.now();
    return this.#store.deactivate(
      memberKey,
      { at, by: ctx.operator, reason },
      this.#audit('MEMBER_DEACTIVATED', memberId, ctx, { reason, ...detail }, at),
    );
  }

  #audit(
    event: 'MEMBER_DEACTIVATED' | 'MEMBER_REACTIVATED',
    memberId: string | undefined,
    ctx: OperatorContext,
    detail: Record<string, string>,
    at = this.#clock.now(),
  ): AuditEntry {
    return {
      at,
      event,
      outcome: outcomeOf(event),
      requestId: ctx.requestId,
      memberId,
      operator: ctx.operator,
      operatorClaim: ctx.operatorClaim,
      detail,
    };
  }

  async #eachMember(
    clientId: string,
    progress: BulkProgress,
    change: (member: ClientMember) => Promise<boolean>,
  ): Promise<BulkReport> {
    let changed = 0;
    let unchanged = 0;
    await forEachBounded(this.#store.membersOfClient(clientId), BULK_CONCURRENCY, async (member) => {
      if (await change(member)) changed++;
      else unchanged++;
      if ((changed + unchanged) % PROGRESS_EVERY === 0) progress(changed + unchanged);
    });
    return { changed, unchanged };
  }
}

/** An end date reached is said in the audit entry: an automatic deactivation, not an operator's. */
const triggerDetail = (trigger: DeactivationTrigger): Record<string, string> =>
  trigger === 'END_DATE' ? { trigger } : {};
