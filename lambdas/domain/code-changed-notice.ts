import type { Member } from './member.ts';
import type { Mailer, OutgoingMail, SecurityEvents } from './ports.ts';

export type Language = 'fr' | 'en';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The notice holds no secret: no code, no link, only what happened and what to do if it was not you. */
function render(member: Member, language: Language, portalUrl: string): Omit<OutgoingMail, 'to'> {
  const name = `${member.firstName} ${member.lastName}`;
  const t =
    language === 'en'
      ? {
          subject: 'Your member area access code was changed',
          hello: `Hello ${name},`,
          body: 'The access code of your member area has just been changed.',
          notYou: 'If you did not make this change, contact our customer service straight away.',
          sign: 'Your mutual insurer',
        }
      : {
          subject: "Votre code d'accès à l'espace adhérent a été modifié",
          hello: `Bonjour ${name},`,
          body: "Le code d'accès de votre espace adhérent vient d'être modifié.",
          notYou: "Si vous n'êtes pas à l'origine de cette modification, contactez sans attendre le service clients.",
          sign: 'Votre mutuelle',
        };
  return {
    subject: t.subject,
    text: `${t.hello}\n\n${t.body}\n${t.notYou}\n\n${portalUrl}\n\n${t.sign}\n`,
    html: `<p>${escapeHtml(t.hello)}</p><p>${escapeHtml(t.body)}<br>${escapeHtml(t.notYou)}</p><p><a href="${escapeHtml(portalUrl)}">${escapeHtml(portalUrl)}</a></p><p>${escapeHtml(t.sign)}</p>`,
  };
}

export class CodeChangedNotices {
  readonly #mailer: Mailer;
  readonly #portalUrl: string;
  readonly #events: SecurityEvents;

  constructor(mailer: Mailer, portalUrl: string, events: SecurityEvents) {
    this.#mailer = mailer;
    this.#portalUrl = portalUrl;
    this.#events = events;
  }

  /** Best effort: the change has happened; a mail failure is made visible, not turned into an error. */
  async codeChanged(member: Member, language: Language, requestId: string): Promise<void> {
    if (!member.email) return;
    try {
      await this.#mailer.send({ to: member.email, ...render(member, language, this.#portalUrl) });
      this.#events.record('CODE_CHANGED_NOTICE_SENT', { requestId, memberId: member.memberId });
    } catch {
      this.#events.record('CODE_CHANGED_NOTICE_FAILED', { requestId, memberId: member.memberId });
    }
  }
}
