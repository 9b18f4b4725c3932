import type { Language } from './language.ts';

/**
 * The customer-service contact members see — in the portal's footer, on the help, lock, deactivated
 * and unreachable pages, and in the mails — as the insurer configures it (operations.md,
 * "Configuration a deployer sets"): none of it is written in code.
 */
export interface SupportContact {
  /** As members dial it, e.g. "09 69 32 10 00" (French numbers become +33 in the `tel:` link). */
  readonly phone?: string | undefined;
  /** When someone answers, as the insurer writes it, e.g. "du lundi au vendredi, de 9 h à 18 h". */
  readonly hours?: string | undefined;
  /** A contact page of the insurer's site (a form, the addresses). */
  readonly url?: string | undefined;
}

/** A phone number as typed: digits, spaces, dots, dashes, an optional leading +, 6 to 20 characters. */
export const SUPPORT_PHONE_PATTERN = /^\+?[\d .-]{6,20}$/;

/** The `tel:` link of a number as members read it: "09 69 32 10 00" → "tel:+33969321000". */
export function telHref(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, '');
  return `tel:${digits.startsWith('0') && !digits.startsWith('00') ? `+33${digits.slice(1)}` : digits}`;
}

/** One sentence for a mail's foot: who to call, when, and where to write. Empty when nothing is configured. */
export function supportSentence(support: SupportContact, language: Language): string {
  const { phone, hours, url } = support;
  if (!phone && !url) return '';
  const parts =
    language === 'en'
      ? [
          phone && `Customer service: ${phone}${hours ? ` (${hours})` : ''}`,
          url && `${phone ? 'or ' : 'Customer service: '}${url}`,
        ]
      : [
          phone && `Service clients : ${phone}${hours ? ` (${hours})` : ''}`,
          url && `${phone ? 'ou ' : 'Service clients : '}${url}`,
        ];
  return `${parts.filter(Boolean).join(', ')}.`;
}
