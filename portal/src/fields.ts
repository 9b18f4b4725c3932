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
 * "Se souvenir de cet appareil": unticked — a member on a shared computer must not leave it trusted
 * by not reading — with what ticking it does where it is asked: after the mailed code (`mailbox`),
 * after a reset link (`reset`: the link proved the mailbox), and on the first code change
 * (`postal`: it trusts the browser only for a member without an email on file).
 */
export const rememberDeviceField = (proof: 'mailbox' | 'reset' | 'postal'): Field =>
  checkboxField({
    name: 'rememberDevice',
    label: t('rememberDevice'),
    hint: t(
      proof === 'postal'
        ? 'rememberDeviceWithoutMailboxHint'
        : proof === 'reset'
          ? 'rememberDeviceAfterResetHint'
          : 'rememberDeviceHint',
    ),
    optional: true,
    checked: false,
  });
