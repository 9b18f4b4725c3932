import type { Language } from './language.ts';
import type { MailContent } from './mail-templates.ts';
import type { Member } from './member.ts';
import type { OutgoingMail } from './ports.ts';
import { type SupportContact, supportSentence } from './support-contact.ts';

/** The portal's colours (portal/public/theme.css): the mails look like the site they come from. */
const BRAND = { primary: '#1f4e79', onPrimary: '#ffffff', text: '#1b1b1f', muted: '#4a4a55', surface: '#f3f5f8' };

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const paragraph = (text: string, style = '') =>
  `<p style="margin:0 0 16px;font-size:16px;line-height:24px;color:${BRAND.text};${style}">${escapeHtml(text)}</p>`;

/**
 * One layout for every mail: the brand's bar, the greeting, the texts, the code (large) or the link
 * (a button, with the address beneath for those who cannot click), the contact, the signature — as
 * HTML (tables and inline styles, what mail clients render) and as plain text, the same words.
 */
export function renderMail(
  member: Member,
  language: Language,
  content: MailContent,
  support: SupportContact = {},
): Omit<OutgoingMail, 'to'> {
  const en = language === 'en';
  const hello = `${en ? 'Hello' : 'Bonjour'} ${member.firstName} ${member.lastName},`;
  const sign = en ? 'Your mutual insurer' : 'Votre mutuelle';
  const area = en ? 'Member area' : 'Espace adhérent';
  // French typography puts a space before the colon; English does not.
  const colon = en ? ':' : ' :';
  const contact = supportSentence(support, language);
  const after = [...(content.after ?? []), ...(contact ? [contact] : [])];
  const text = [
    hello,
    '',
    ...content.paragraphs,
    '',
    ...(content.code ? [content.code, ''] : []),
    ...(content.link ? [...(content.linkLabel ? [`${content.linkLabel}${colon}`] : []), content.link, ''] : []),
    ...after,
    ...(after.length ? [''] : []),
    sign,
    '',
  ].join('\n');
  const link = content.link && escapeHtml(content.link);
  const body = [
    paragraph(hello),
    ...content.paragraphs.map((p) => paragraph(p)),
    ...(content.code
      ? [paragraph(content.code, 'font-size:32px;line-height:40px;letter-spacing:8px;font-weight:bold;')]
      : []),
    ...(link
      ? [
          `<table role="presentation" cellpadding="0" cellspacing="0" style="margin:8px 0 24px"><tr><td style="background:${BRAND.primary};border-radius:6px">` +
            `<a href="${link}" style="display:inline-block;padding:12px 24px;font-size:16px;font-weight:bold;color:${BRAND.onPrimary};text-decoration:none">${escapeHtml(content.linkLabel ?? content.link!)}</a></td></tr></table>`,
          paragraph(
            `${en ? 'Or open this address' : 'Ou ouvrez cette adresse'}${colon} ${content.link}`,
            `font-size:13px;color:${BRAND.muted};word-break:break-all;`,
          ),
        ]
      : []),
    ...after.map((p) => paragraph(p)),
    paragraph(sign),
  ].join('');
  const html =
    `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(content.subject)}</title></head>` +
    `<body style="margin:0;background:${BRAND.surface};font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif">` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:24px 12px">` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:8px">` +
    `<tr><td style="background:${BRAND.primary};color:${BRAND.onPrimary};padding:16px 24px;font-size:18px;font-weight:bold;border-radius:8px 8px 0 0">${area}</td></tr>` +
    `<tr><td style="padding:24px">${body}</td></tr></table></td></tr></table></body></html>`;
  return { subject: content.subject, text, html };
}
