/**
 * What members read, in French (the seed guide's wording) and English. The API's own messages
 * (`message` in its answers) are shown as they come, in the language asked with Accept-Language.
 */
import type { Language } from '../../lambdas/domain/language.ts';
import { DICTIONARIES, type MessageKey } from './texts.ts';

export type { MessageKey } from './texts.ts';
export type { Language };

const STORAGE_KEY = 'mp-language';

let current: Language = 'fr';

/** The member's choice (kept in localStorage: a preference, not a secret), French by default. */
export function initialLanguage(): Language {
  current = globalThis.localStorage?.getItem(STORAGE_KEY) === 'en' ? 'en' : 'fr';
  return current;
}

export function language(): Language {
  return current;
}

export function setLanguage(next: Language): void {
  current = next;
  localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next;
}

export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  return DICTIONARIES[current][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}

/** A number of minutes, singular or plural ("1 minute", "15 minutes"). */
export const minutes = (n: number): string => (n === 1 ? t('minuteOne') : t('minuteMany', { n }));

/** A clock time later today, as the member reads it ("14 h 32", "2:32 pm"). */
export function clockTime(at: Date): string {
  if (language() === 'en') return new Intl.DateTimeFormat('en-GB', { timeStyle: 'short' }).format(at);
  return `${at.getHours()} h ${String(at.getMinutes()).padStart(2, '0')}`;
}

/** A day as the member reads it: « 1er janvier 2026 », "1 January 2026". */
export function formatDay(iso: string): string {
  const day = new Date(iso);
  if (language() === 'en')
    return new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(day);
  const text = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(day);
  return text.replace(/^1 /, '1er ');
}

/** A moment as the member reads it, in their language ("26 nov. 2026, 14:58"). */
export function formatWhen(iso: string): string {
  return new Intl.DateTimeFormat(language() === 'en' ? 'en-GB' : 'fr-FR', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
}
