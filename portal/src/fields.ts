import { checkboxField, type Field, field } from './forms.ts';
import { t } from './i18n.ts';

/** The fields several forms share, with the seed's labels and hints. */
export const nirField = (value?: string, options: { passkeyAutofill?: boolean } = {}): Field =>
  field({
    name: 'nir',
    label: t('nirLabel'),
    hint: t('nirHint'),
    // `webauthn`: the browser may offer the member's passkeys in this field's autofill (conditional mediation).
    autocomplete: options.passkeyAutofill ? 'username webauthn' : 'username',
    value,
  });

/** The new code and its confirmation: named `new-password`, so password managers offer to save it. */
export const newCodeFields = (): Field[] => [
  field({ name: 'newCode', label: t('newLabel'), hint: t('newHint'), secret: true, autocomplete: 'new-password' }),
  field({
    name: 'newCodeConfirmation',
    label: t('confirmLabel'),
    hint: t('confirmHint'),
    secret: true,
    autocomplete: 'new-password',
  }),
];

/**
 * "Se souvenir de cet appareil": ticked by default, with the shared-computer warning beside it.
 * `withoutMailbox`: on the first code change, where it trusts the browser only for a member without
 * an email on file (a member with one proves the mailbox at the next sign-in), and its hint says so.
 */
export const rememberDeviceField = (withoutMailbox = false): Field =>
  checkboxField({
    name: 'rememberDevice',
    label: t('rememberDevice'),
    hint: t(withoutMailbox ? 'rememberDeviceWithoutMailboxHint' : 'rememberDeviceHint'),
    optional: true,
    checked: true,
  });
