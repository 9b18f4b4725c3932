import type { ErrorCode } from '../domain/errors.ts';
import type { Language } from '../domain/language.ts';

/** What members read. French wording follows the insurer's guide (seed). */
type MessageKey =
  | ErrorCode
  | 'CODE_CHANGE_REQUIRED'
  | 'CODE_CHANGED'
  | 'REQUEST_ACCEPTED'
  | 'DEVICE_VERIFICATION_REQUIRED'
  | 'LOCKOUT_RULE'
  | 'TRIES_LEFT'
  | 'LAST_TRY'
  | 'DEVICE_CODE_SENT';

export const MESSAGES: Record<MessageKey, Record<Language, string>> = {
  MALFORMED_REQUEST: {
    fr: 'La requête est incomplète ou mal formée.',
    en: 'The request is incomplete or malformed.',
  },
  INVALID_NIR: {
    fr: 'Le numéro de sécurité sociale n’est pas valide. Vérifiez que vous l’avez saisi correctement : 15 caractères, clé comprise.',
    en: 'The social security number is not valid. Please check that you typed it correctly.',
  },
  INVALID_CODE_FORMAT: {
    fr: 'Le mot de passe doit comporter 6 chiffres. Vérifiez que vous en avez saisi 6, sans espace ni lettre.',
    en: 'The code must be exactly 6 digits. Please check that your code has 6 digits.',
  },
  CODE_CONFIRMATION_MISMATCH: {
    fr: 'Le nouveau mot de passe et sa confirmation ne sont pas identiques.',
    en: 'The new code and its confirmation are different.',
  },
  WEAK_CODE: {
    fr: 'Ce mot de passe est trop facile à deviner. Choisissez un autre mot de passe à 6 chiffres.',
    en: 'This code is too easy to guess. Please choose another 6-digit code.',
  },
  INVALID_RESET_TOKEN: {
    fr: 'Ce lien de réinitialisation n’est plus valide : il a déjà servi, a expiré, ou un lien plus récent l’a remplacé. Faites une nouvelle demande de mot de passe.',
    en: 'This reset link is no longer valid. Please ask for a new code.',
  },
  INVALID_CREDENTIALS: {
    fr: 'Numéro de sécurité sociale ou mot de passe incorrect. Si vous avez reçu plusieurs courriers, seul le mot de passe du plus récent est valable.',
    en: 'Incorrect social security number or code. If you received several letters, only the code in the most recent one is valid.',
  },
  LOCKOUT_RULE: {
    fr: 'Par sécurité, après {attempts} mots de passe incorrects, la connexion est suspendue {minutes} minutes.',
    en: 'For your security, after {attempts} incorrect codes, sign-in is suspended for {minutes} minutes.',
  },
  TRIES_LEFT: {
    fr: 'Il vous reste {triesLeft} essais.',
    en: 'You have {triesLeft} tries left.',
  },
  LAST_TRY: {
    fr: 'Il vous reste un essai.',
    en: 'You have one try left.',
  },
  DEVICE_CODE_SENT: {
    fr: 'Un nouveau code vous a été envoyé par mail (valable 10 minutes). Le code précédent ne fonctionne plus.',
    en: 'A new code has been emailed to you (valid 10 minutes). The previous code no longer works.',
  },
  INVALID_CHALLENGE: {
    fr: 'Votre demande a expiré ou n’est plus valable. Reconnectez-vous.',
    en: 'Your request has expired or is no longer valid. Please sign in again.',
  },
  INVALID_DEVICE_CODE: {
    fr: 'Ce code de vérification n’est pas le bon. Vérifiez le code à 6 chiffres reçu par mail.',
    en: 'This verification code is not the right one. Please check the 6-digit code we emailed you.',
  },
  PASSKEY_REFUSED: {
    fr: 'Cette clé d’accès n’a pas pu être vérifiée. Réessayez, ou connectez-vous avec votre mot de passe.',
    en: 'This passkey could not be verified. Try again, or sign in with your code.',
  },
  REAUTHENTICATION_REQUIRED: {
    fr: 'Pour votre sécurité, reconnectez-vous avant de modifier vos clés d’accès.',
    en: 'For your security, sign in again before changing your passkeys.',
  },
  DEVICE_VERIFICATION_REQUIRED: {
    fr: 'Vous vous connectez depuis un nouvel appareil. Pour vérifier que c’est bien vous, saisissez le code à 6 chiffres que nous venons de vous envoyer par mail (valable 10 minutes).',
    en: 'You are signing in from a new device. To check that it is you, enter the 6-digit code we have just emailed you (valid 10 minutes).',
  },
  UNAUTHENTICATED: {
    fr: 'Vous devez vous connecter à votre espace adhérent.',
    en: 'You need to sign in to your member area.',
  },
  SESSION_EXPIRED: {
    fr: 'Votre session a expiré. Reconnectez-vous.',
    en: 'Your session has expired. Please sign in again.',
  },
  ACCOUNT_DEACTIVATED: {
    fr: 'Votre accès à l’espace adhérent a été désactivé. Contactez le service clients.',
    en: 'Your access to the member area has been deactivated. Please contact customer service.',
  },
  ORIGIN_NOT_ALLOWED: {
    fr: 'Cette demande ne vient pas du site de l’espace adhérent : elle est refusée.',
    en: 'This request does not come from the member area site: it is refused.',
  },
  DEVICE_NOT_TRUSTED: {
    fr: 'Pour changer votre mot de passe depuis ce navigateur, connectez-vous, puis changez votre mot de passe depuis votre espace.',
    en: 'To change your code from this browser, sign in, then change your code from your member area.',
  },
  NOT_FOUND: { fr: 'Ressource introuvable.', en: 'Not found.' },
  TERMS_VERSION_MISMATCH: {
    fr: 'Les conditions générales d’utilisation ont changé. Lisez et acceptez la version en vigueur.',
    en: 'The terms of use have changed. Please read and accept the current version.',
  },
  PAYLOAD_TOO_LARGE: { fr: 'La requête est trop volumineuse.', en: 'The request is too large.' },
  UNSUPPORTED_MEDIA_TYPE: {
    fr: 'Le corps de la requête doit être en JSON (Content-Type: application/json).',
    en: 'The request body must be JSON (Content-Type: application/json).',
  },
  TOO_MANY_ATTEMPTS: {
    fr: 'Trop de tentatives. Réessayez plus tard.',
    en: 'Too many attempts. Please try again later.',
  },
  REQUEST_BLOCKED: {
    fr: 'Votre demande a été bloquée par mesure de sécurité. Réessayez dans quelques minutes.',
    en: 'Your request was blocked as a security measure. Please try again in a few minutes.',
  },
  SERVICE_UNAVAILABLE: {
    fr: 'Le service est momentanément indisponible. Réessayez dans quelques instants.',
    en: 'The service is temporarily unavailable. Please try again in a moment.',
  },
  INTERNAL: {
    fr: 'Une erreur inattendue s’est produite. Réessayez plus tard.',
    en: 'An unexpected error occurred. Please try again later.',
  },
  CODE_CHANGE_REQUIRED: {
    fr: 'Première connexion ou nouveau mot de passe reçu : personnalisez votre mot de passe sur 6 chiffres, puis reconnectez-vous.',
    en: 'First sign-in or new code received: please choose your own 6-digit code, then sign in again.',
  },
  REQUEST_ACCEPTED: {
    fr: 'Votre demande a été prise en compte. Si votre adresse mail est connue, vous recevrez en quelques minutes un mail de réinitialisation ; sinon, un courrier avec votre mot de passe vous sera adressé sous 48 heures.',
    en: 'Your request has been received. If we know your email address, a reset mail will reach you within minutes; otherwise a letter with your code will be posted within 48 hours.',
  },
  CODE_CHANGED: {
    fr: 'Votre modification a été prise en compte. Vous pouvez vous connecter avec votre nouveau mot de passe.',
    en: 'Your change has been saved. You can now sign in with your new code.',
  },
};

export const message = (key: MessageKey, language: Language): string => MESSAGES[key][language];

/**
 * An error's message: its code's, then — for a wrong code, to everyone alike — the lockout rule
 * with the stage's figures (it reveals nothing: the same for every NIR, every code); for a wrong
 * mailed code, the tries its challenge has left (its holder already gave the personal code).
 */
export function errorMessage(
  error: { readonly code: ErrorCode; readonly params?: Readonly<Record<string, number>> | undefined },
  language: Language,
): string {
  const base = message(error.code, language);
  const { params } = error;
  const triesLeft = params?.['triesLeft'];
  if (error.code === 'INVALID_DEVICE_CODE' && triesLeft !== undefined && triesLeft > 0) {
    const left = triesLeft === 1 ? message('LAST_TRY', language) : message('TRIES_LEFT', language);
    return `${base} ${left.replace('{triesLeft}', String(triesLeft))}`;
  }
  if (error.code !== 'INVALID_CREDENTIALS' || !params?.['attempts'] || !params['minutes']) return base;
  const rule = message('LOCKOUT_RULE', language)
    .replace('{attempts}', String(params['attempts']))
    .replace('{minutes}', String(params['minutes']));
  return `${base} ${rule}`;
}

/** French unless the member's browser prefers English over French. */
export function negotiateLanguage(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'fr';
  let best: { language: Language; q: number } = { language: 'fr', q: 0 };
  for (const part of acceptLanguage.split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    const primary = tag.split('-')[0];
    if ((primary === 'fr' || primary === 'en') && Number.isFinite(q) && q > best.q) best = { language: primary, q };
  }
  return best.language;
}
