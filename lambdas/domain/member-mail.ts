import type { AuditEvent } from './audit-events.ts';
import type { Language } from './language.ts';
import { renderMail } from './mail-layout.ts';
import {
  codeChangedMail,
  codeSignInRestoredMail,
  deviceCodeMail,
  lockNoticeMail,
  newDeviceMail,
  passkeyMail,
  resetMail,
} from './mail-templates.ts';
import type { Member } from './member.ts';
import { PORTAL_PATHS, portalUrl } from './portal-paths.ts';
import type { Mailer, OutgoingMail, SecurityEvents } from './ports.ts';
import type { SupportContact } from './support-contact.ts';

export interface MemberMailOptions {
  readonly portalUrl: string;
  /** Said at the foot of every mail. */
  readonly support?: SupportContact | undefined;
}

/**
 * Mail to members through the Mailer port (whose client retries what can be retried: see
 * adapters/mail/ses-client.ts). A mail still not sent is made visible — an event and a metric, with
 * the request id — never with its link in the log.
 */
export class MemberMail {
  readonly #mailer: Mailer;
  readonly #events: SecurityEvents;
  readonly #options: MemberMailOptions;

  constructor(mailer: Mailer, events: SecurityEvents, options: MemberMailOptions) {
    this.#mailer = mailer;
    this.#events = events;
    this.#options = options;
  }

  /**
   * Best effort: the change has happened; a lost notice is reported, not turned into an error.
   * `removedPasskeys`: the names of the passkeys a recovery removed, listed in the notice.
   */
  async codeChanged(
    member: Member,
    language: Language,
    requestId: string,
    removedPasskeys: readonly string[] = [],
  ): Promise<void> {
    if (!member.email) return;
    const sent = await this.#send(
      member.email,
      renderMail(
        member,
        language,
        codeChangedMail(language, this.#options.portalUrl, removedPasskeys),
        this.#options.support,
      ),
    );
    await this.#report(sent, 'CODE_CHANGED_NOTICE', member, requestId);
  }

  /** Best effort, like every notice: a lost one is reported. */
  async lockNotice(
    member: Member,
    email: string,
    lockedUntil: number,
    language: Language,
    requestId: string,
  ): Promise<void> {
    const forgot = portalUrl(this.#options.portalUrl, PORTAL_PATHS.forgot);
    const sent = await this.#send(
      email,
      renderMail(member, language, lockNoticeMail(language, forgot, lockedUntil), this.#options.support),
    );
    await this.#report(sent, 'LOCK_NOTICE', member, requestId);
  }

  /** The new-device code; a lost one is reported (the member can sign in again for another). */
  async deviceCode(
    member: Member,
    email: string,
    code: string,
    validMinutes: number,
    language: Language,
    requestId: string,
  ): Promise<void> {
    const sent = await this.#send(
      email,
      renderMail(member, language, deviceCodeMail(language, code, validMinutes), this.#options.support),
    );
    await this.#report(sent, 'DEVICE_CODE', member, requestId);
  }

  /** Best effort, like every notice. */
  async newDeviceNotice(member: Member, label: string, at: number, language: Language, requestId: string) {
    if (!member.email) return;
    const sent = await this.#send(
      member.email,
      renderMail(member, language, newDeviceMail(language, label, at), this.#options.support),
    );
    await this.#report(sent, 'NEW_DEVICE_NOTICE', member, requestId);
  }

  /** Best effort, like every notice: a passkey added or removed. */
  async passkeyNotice(
    member: Member,
    change: 'ADDED' | 'REMOVED',
    name: string,
    at: number,
    language: Language,
    requestId: string,
  ): Promise<void> {
    if (!member.email) return;
    const sent = await this.#send(
      member.email,
      renderMail(member, language, passkeyMail(language, change, name, at), this.#options.support),
    );
    await this.#report(sent, 'PASSKEY_NOTICE', member, requestId);
  }

  /** Best effort: passkey-only mode was lifted by a recovery. */
  async codeSignInRestored(member: Member, language: Language, requestId: string): Promise<void> {
    if (!member.email) return;
    const sent = await this.#send(
      member.email,
      renderMail(member, language, codeSignInRestoredMail(language), this.#options.support),
    );
    await this.#report(sent, 'CODE_SIGN_IN_NOTICE', member, requestId);
  }

  /** True when sent; false when it could not be (reported). */
  async resetLink(
    member: Member,
    email: string,
    link: string,
    validMinutes: number,
    language: Language,
    requestId: string,
  ): Promise<boolean> {
    const sent = await this.#send(
      email,
      renderMail(member, language, resetMail(language, link, validMinutes), this.#options.support),
    );
    await this.#report(sent, 'RESET_EMAIL', member, requestId);
    return sent;
  }

  async #send(to: string, mail: Omit<OutgoingMail, 'to'>): Promise<boolean> {
    try {
      await this.#mailer.send({ to, ...mail });
      return true;
    } catch {
      return false;
    }
  }

  async #report(
    sent: boolean,
    what:
      | 'CODE_CHANGED_NOTICE'
      | 'RESET_EMAIL'
      | 'LOCK_NOTICE'
      | 'DEVICE_CODE'
      | 'NEW_DEVICE_NOTICE'
      | 'PASSKEY_NOTICE'
      | 'CODE_SIGN_IN_NOTICE',
    member: Member,
    requestId: string,
  ): Promise<void> {
    const event: AuditEvent = sent ? `${what}_SENT` : `${what}_FAILED`;
    await this.#events.record(event, {
      requestId,
      memberKey: member.key,
      memberId: member.memberId,
      ...(sent ? {} : { metric: 'MailLost' }),
    });
  }
}
