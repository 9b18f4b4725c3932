import type { Language } from './language.ts';

/**
 * What members read in their mail, French and English side by side, one function per mail: the
 * texts only. `MemberMail` (member-mail.ts) renders and sends them. Every mail holds no secret but
 * the one it exists to carry (a link, a code), and none carries both.
 */
export interface MailContent {
  readonly subject: string;
  readonly paragraphs: readonly string[];
  /** Shown as a button in HTML and on its own line in text; mails that carry a code have none. */
  readonly link?: string;
  /** The button's words: what the link does. */
  readonly linkLabel?: string;
  /** A one-time code, on its own line (and large in HTML), easy to read and to copy. */
  readonly code?: string;
  readonly after?: readonly string[];
}

/** Holds no secret: what happened, the passkeys a recovery removed (by name), and what to do if it was not you. */
export function codeChangedMail(
  language: Language,
  portalHome: string,
  removedPasskeys: readonly string[],
): MailContent {
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
        linkLabel: 'Open my member area',
      }
    : {
        subject: 'Votre mot de passe de l’espace adhérent a été modifié',
        paragraphs: [
          'Le mot de passe de votre espace adhérent vient d’être modifié.',
          ...(removedPasskeys.length
            ? [
                `Pour vous protéger, toutes les clés d’accès de votre espace ont été supprimées : ${list}. Ajoutez de nouveau les vôtres une fois connecté.`,
              ]
            : []),
          'Si vous n’êtes pas à l’origine de cette modification, contactez sans attendre le service clients.',
        ],
        link: portalHome,
        linkLabel: 'Ouvrir mon espace adhérent',
      };
}

export function resetMail(language: Language, link: string, validMinutes: number): MailContent {
  return language === 'en'
    ? {
        subject: 'Choose a new access code for your member area',
        paragraphs: [
          'You asked for a new access code for your member area.',
          `Open the link below to choose your own 6-digit code. It works once, for ${validMinutes} minutes.`,
        ],
        link,
        linkLabel: 'Choose my new code',
        after: ['If you did not ask for it, ignore this mail: your current code keeps working.'],
      }
    : {
        subject: 'Réinitialisation de votre mot de passe — espace adhérent',
        paragraphs: [
          'Vous avez demandé un nouveau mot de passe pour votre espace adhérent.',
          `Cliquez sur le lien ci-dessous pour créer un mot de passe personnalisé à 6 chiffres. Il n’est valable qu’une fois, pendant ${validMinutes} minutes.`,
        ],
        link,
        linkLabel: 'Créer mon nouveau mot de passe',
        after: [
          'Si vous n’êtes pas à l’origine de cette demande, ignorez ce mail : votre mot de passe actuel reste valable.',
        ],
      };
}

/** The one-time code of a new-device sign-in: no link at all (a mail with a code and a link is a phisher's template). */
export function deviceCodeMail(language: Language, code: string, validMinutes: number): MailContent {
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
          'Si vous n’êtes pas en train de vous connecter, quelqu’un connaît votre mot de passe : changez-le depuis votre espace adhérent (« Changer mon mot de passe »), ou avec le lien « Vous avez oublié votre code d’accès ou vous souhaitez l’obtenir ? » de la page de connexion.',
        ],
      };
}

/** A device was trusted: what, when, and what to do if it was not the member — no link that signs in. */
export function newDeviceMail(language: Language, label: string, at: number): MailContent {
  return language === 'en'
    ? {
        subject: 'A new device was added to your member area',
        paragraphs: [
          `A new device was added to your member area: ${label}, on ${parisTime(at, 'en')} (Paris time).`,
          'If it was not you, change your access code straight away and contact our customer service.',
        ],
      }
    : {
        subject: 'Un nouvel appareil a été ajouté à votre espace adhérent',
        paragraphs: [
          `Un nouvel appareil a été ajouté à votre espace adhérent : ${label}, le ${parisTime(at, 'fr')} (heure de Paris).`,
          'Si ce n’est pas vous, changez votre mot de passe sans attendre et contactez le service clients.',
        ],
      };
}

export function passkeyMail(language: Language, change: 'ADDED' | 'REMOVED', name: string, at: number): MailContent {
  const when = parisTime(at, language);
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
      'Si ce n’est pas vous, changez votre mot de passe sans attendre et contactez le service clients.',
    ],
  };
}

/** Passkey-only mode lifted by a reset link or a letter's code. */
export function codeSignInRestoredMail(language: Language): MailContent {
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
          'Si ce n’est pas vous, contactez sans attendre le service clients.',
        ],
      };
}

/** A time as members read it: Paris time, in their language. */
const parisTime = (at: number, language: Language) =>
  new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'fr-FR', {
    timeZone: 'Europe/Paris',
    dateStyle: 'long',
    timeStyle: 'short',
  }).format(at);

/** Someone (perhaps the member) failed to sign in with this NIR: no link that signs in, only the way back. */
export function lockNoticeMail(language: Language, forgotUrl: string, lockedUntil: number): MailContent {
  return language === 'en'
    ? {
        subject: 'Sign-in to your member area is paused',
        paragraphs: [
          'Someone tried to sign in to your member area with your social security number, and gave a wrong code several times.',
          `For your protection, sign-in with a code is paused until ${parisTime(lockedUntil, 'en')} (Paris time).`,
          'If it was not you, there is nothing to do: your code was not found. Your trusted devices and passkeys still sign you in.',
          'To get back in now from another browser, choose a new code with "Forgotten code":',
        ],
        link: forgotUrl,
        linkLabel: 'Ask for a new code',
      }
    : {
        subject: 'Connexion à votre espace adhérent suspendue',
        paragraphs: [
          'Quelqu’un a essayé de se connecter à votre espace adhérent avec votre numéro de sécurité sociale, et s’est trompé de mot de passe plusieurs fois.',
          `Pour vous protéger, la connexion par mot de passe est suspendue jusqu’au ${parisTime(lockedUntil, 'fr')} (heure de Paris).`,
          'Si ce n’était pas vous, vous n’avez rien à faire : votre mot de passe n’a pas été trouvé. Vos appareils de confiance et vos clés d’accès vous connectent toujours.',
          'Pour retrouver l’accès tout de suite depuis un autre navigateur, créez un nouveau mot de passe avec le lien « Vous avez oublié votre code d’accès ou vous souhaitez l’obtenir ? » :',
        ],
        link: forgotUrl,
        linkLabel: 'Demander un nouveau mot de passe',
      };
}
