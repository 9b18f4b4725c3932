import type { AuditEvent } from './audit-events.ts';
import type { Language } from './language.ts';
import type { Member } from './member.ts';
import { PORTAL_PATHS, portalUrl } from './portal-paths.ts';
import type { Mailer, OutgoingMail, SecurityEvents } from './ports.ts';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

interface Letter {
  readonly subject: string;
  readonly paragraphs: readonly string[];
  /** Shown as a link in HTML and on its own line in text; mails that carry a code have none. */
  readonly link?: string;
  /** A one-time code, on its own line (and large in HTML), easy to read and to copy. */
  readonly code?: string;
  readonly after?: readonly string[];
}

function render(member: Member, language: Language, letter: Letter): Omit<OutgoingMail, 'to'> {
  const hello =
    language === 'en'
      ? `Hello ${member.firstName} ${member.lastName},`
      : `Bonjour ${member.firstName} ${member.lastName},`;
  const sign = language === 'en' ? 'Your mutual insurer' : 'Votre mutuelle';
  const after = letter.after ?? [];
  const text = [
    hello,
    '',
    ...letter.paragraphs,
    '',
    ...(letter.code ? [letter.code, ''] : []),
    ...(letter.link ? [letter.link, ''] : []),
    ...after,
    ...(after.length ? [''] : []),
    sign,
    '',
  ].join('\n');
  const html = [
    `<p>${escapeHtml(hello)}</p>`,
    ...letter.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    ...(letter.code
      ? [`<p style="font-size:2em;letter-spacing:0.2em"><strong>${escapeHtml(letter.code)}</strong></p>`]
      : []),
    ...(letter.link ? [`<p><a href="${escapeHtml(letter.link)}">${escapeHtml(letter.link)}</a></p>`] : []),
    ...after.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p>${escapeHtml(sign)}</p>`,
  ].join('');
  return { subject: letter.subject, text, html };
}

/** Holds no secret: what happened, and what to do if it was not you. */
/** Holds no secret: what happened, the passkeys a recovery removed (by name), and what to do if it was not you. */
function codeChangedLetter(language: Language, portalHome: string, removedPasskeys: readonly string[]): Letter {
  const list = removedPasskeys.map((name) => `« ${name} »`).join(', ');
  return language === 'en'
    ? {
        subject: 'Your member area access code was changed',
        paragraphs: [
          'The access code of your member area has just been changed.',
          ...(removedPasskeys.length
            ? [
                `For your protection, every passkey of your member area was removed: ${list}. Add yours again once signed in.`,
              ]
            : []),
          'If you did not make this change, contact our customer service straight away.',
        ],
        link: portalHome,
      }
    : {
        subject: "Votre code d'accès à l'espace adhérent a été modifié",
        paragraphs: [
          "Le code d'accès de votre espace adhérent vient d'être modifié.",
          ...(removedPasskeys.length
            ? [
                `Pour vous protéger, toutes les clés d’accès de votre espace ont été supprimées : ${list}. Ajoutez de nouveau les vôtres une fois connecté.`,
              ]
            : []),
          "Si vous n'êtes pas à l'origine de cette modification, contactez sans attendre le service clients.",
        ],
        link: portalHome,
      };
}

function resetLetter(language: Language, link: string, validMinutes: number): Letter {
  return language === 'en'
    ? {
        subject: 'Choose a new access code for your member area',
        paragraphs: [
          'You asked for a new access code for your member area.',
          `Open the link below to choose your own 6-digit code. It works once, for ${validMinutes} minutes.`,
        ],
        link,
        after: ['If you did not ask for it, ignore this mail: your current code keeps working.'],
      }
    : {
        subject: 'Réinitialisation de votre mot de passe — espace adhérent',
        paragraphs: [
          'Vous avez demandé un nouveau mot de passe pour votre espace adhérent.',
          `Cliquez sur le lien ci-dessous pour créer un mot de passe personnalisé à 6 chiffres. Il n'est valable qu'une fois, pendant ${validMinutes} minutes.`,
        ],
        link,
        after: [
          "Si vous n'êtes pas à l'origine de cette demande, ignorez ce mail : votre mot de passe actuel reste valable.",
        ],
      };
}

/** The one-time code of a new-device sign-in: no link at all (a mail with a code and a link is a phisher's template). */
function deviceCodeLetter(language: Language, code: string, validMinutes: number): Letter {
  return language === 'en'
    ? {
        subject: 'Your verification code for the member area',
        paragraphs: ['You are signing in to your member area from a new device. Your verification code is:'],
        code,
        after: [
          `It is valid for ${validMinutes} minutes. Never give it to anyone: our staff will never ask for it.`,
          'If you are not signing in right now, someone knows your access code: change it in your member area, or use "Forgotten code".',
        ],
      }
    : {
        subject: 'Votre code de vérification — espace adhérent',
        paragraphs: [
          'Vous vous connectez à votre espace adhérent depuis un nouvel appareil. Votre code de vérification :',
        ],
        code,
        after: [
          `Il est valable ${validMinutes} minutes. Ne le communiquez à personne : nos conseillers ne vous le demanderont jamais.`,
          "Si vous n'êtes pas en train de vous connecter, quelqu'un connaît votre mot de passe : changez-le depuis votre espace adhérent, ou avec « Mot de passe oublié ».",
        ],
      };
}

/** A device was trusted: what, when, and what to do if it was not the member — no link that signs in. */
function newDeviceLetter(language: Language, label: string, at: number): Letter {
  return language === 'en'
    ? {
        subject: 'A new device was added to your member area',
        paragraphs: [
          `A new device was added to your member area: ${label}, on ${lockEnd(at, 'en')} (Paris time).`,
          'If it was not you, change your access code straight away and contact our customer service.',
        ],
      }
    : {
        subject: 'Un nouvel appareil a été ajouté à votre espace adhérent',
        paragraphs: [
          `Un nouvel appareil a été ajouté à votre espace adhérent : ${label}, le ${lockEnd(at, 'fr')} (heure de Paris).`,
          "Si ce n'est pas vous, changez votre code sans attendre et contactez le service clients.",
        ],
      };
}

function passkeyLetter(language: Language, change: 'ADDED' | 'REMOVED', name: string, at: number): Letter {
  const when = lockEnd(at, language);
  if (language === 'en')
    return {
      subject:
        change === 'ADDED' ? 'A passkey was added to your member area' : 'A passkey was removed from your member area',
      paragraphs: [
        `The passkey “${name}” was ${change === 'ADDED' ? 'added to' : 'removed from'} your member area on ${when} (Paris time).`,
        'If it was not you, change your access code straight away and contact our customer service.',
      ],
    };
  return {
    subject:
      change === 'ADDED'
        ? 'Une clé d’accès a été ajoutée à votre espace adhérent'
        : 'Une clé d’accès a été supprimée de votre espace adhérent',
    paragraphs: [
      `La clé d’accès « ${name} » a été ${change === 'ADDED' ? 'ajoutée à' : 'supprimée de'} votre espace adhérent le ${when} (heure de Paris).`,
      "Si ce n'est pas vous, changez votre code sans attendre et contactez le service clients.",
    ],
  };
}

/** Passkey-only mode lifted by a reset link or a letter's code. */
function codeSignInRestoredLetter(language: Language): Letter {
  return language === 'en'
    ? {
        subject: 'Sign-in with a code is back on in your member area',
        paragraphs: [
          'You set a new access code with a reset link or a letter: signing in with your code works again, beside your passkeys.',
          'If it was not you, contact our customer service straight away.',
        ],
      }
    : {
        subject: 'La connexion par mot de passe est réactivée sur votre espace adhérent',
        paragraphs: [
          'Vous avez choisi un nouveau mot de passe avec un lien de réinitialisation ou un courrier : la connexion par mot de passe fonctionne de nouveau, à côté de vos clés d’accès.',
          "Si ce n'est pas vous, contactez sans attendre le service clients.",
        ],
      };
}

const lockEnd = (at: number, language: Language) =>
  new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'fr-FR', {
    timeZone: 'Europe/Paris',
    dateStyle: 'long',
    timeStyle: 'short',
  }).format(at);

/** Someone (perhaps the member) failed to sign in with this NIR: no link that signs in, only the way back. */
function lockNoticeLetter(language: Language, forgotUrl: string, lockedUntil: number): Letter {
  return language === 'en'
    ? {
        subject: 'Sign-in to your member area is paused',
        paragraphs: [
          'Someone tried to sign in to your member area with your social security number, and gave a wrong code several times.',
          `For your protection, sign-in with a code is paused until ${lockEnd(lockedUntil, 'en')} (Paris time).`,
          'If it was not you, there is nothing to do: your code was not found. Your trusted devices and passkeys still sign you in.',
          'To get back in now from another browser, choose a new code with "Forgotten code":',
        ],
        link: forgotUrl,
      }
    : {
        subject: 'Connexion à votre espace adhérent suspendue',
        paragraphs: [
          "Quelqu'un a essayé de se connecter à votre espace adhérent avec votre numéro de sécurité sociale, et s'est trompé de mot de passe plusieurs fois.",
          `Pour vous protéger, la connexion par mot de passe est suspendue jusqu'au ${lockEnd(lockedUntil, 'fr')} (heure de Paris).`,
          "Si ce n'était pas vous, vous n'avez rien à faire : votre mot de passe n'a pas été trouvé. Vos appareils de confiance et vos clés d’accès vous connectent toujours.",
          'Pour retrouver l’accès tout de suite depuis un autre navigateur, créez un nouveau mot de passe avec « Mot de passe oublié » :',
        ],
        link: forgotUrl,
      };
}

export interface MemberMailOptions {
  readonly portalUrl: string;
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
      render(member, language, codeChangedLetter(language, this.#options.portalUrl, removedPasskeys)),
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
    const sent = await this.#send(email, render(member, language, lockNoticeLetter(language, forgot, lockedUntil)));
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
    const sent = await this.#send(email, render(member, language, deviceCodeLetter(language, code, validMinutes)));
    await this.#report(sent, 'DEVICE_CODE', member, requestId);
  }

  /** Best effort, like every notice. */
  async newDeviceNotice(member: Member, label: string, at: number, language: Language, requestId: string) {
    if (!member.email) return;
    const sent = await this.#send(member.email, render(member, language, newDeviceLetter(language, label, at)));
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
    const sent = await this.#send(member.email, render(member, language, passkeyLetter(language, change, name, at)));
    await this.#report(sent, 'PASSKEY_NOTICE', member, requestId);
  }

  /** Best effort: passkey-only mode was lifted by a recovery. */
  async codeSignInRestored(member: Member, language: Language, requestId: string): Promise<void> {
    if (!member.email) return;
    const sent = await this.#send(member.email, render(member, language, codeSignInRestoredLetter(language)));
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
    const sent = await this.#send(email, render(member, language, resetLetter(language, link, validMinutes)));
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
