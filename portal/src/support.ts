import { type SupportContact, telHref } from '../../lambdas/domain/support-contact.ts';
import { h } from './dom.ts';
import { t } from './i18n.ts';

/** The insurer's customer-service contact, from `config.json` (operations.md): set once at start. */
let contact: SupportContact = {};

export function setSupportContact(configured: SupportContact | undefined): void {
  contact = configured ?? {};
}

/** "Service clients : 01 23 45 67 89 (du lundi au vendredi…) · Nous écrire": a `tel:` link on a phone, a page to write from. */
export function supportLine(): Node[] {
  const { phone, hours, url } = contact;
  if (!phone && !url && !hours) return [document.createTextNode(t('supportNone'))];
  return [
    document.createTextNode(`${t('supportLabel')} `),
    ...(phone ? [h('a', { href: telHref(phone), class: 'support-phone' }, phone)] : []),
    ...(hours ? [document.createTextNode(phone ? ` (${hours})` : hours)] : []),
    ...(url ? [document.createTextNode(' · '), h('a', { href: url, rel: 'noopener' }, t('supportWrite'))] : []),
  ];
}

/** A paragraph that says who to call, for the pages that send the member to customer service. */
export const supportParagraph = (): HTMLElement => h('p', { class: 'support' }, ...supportLine());
