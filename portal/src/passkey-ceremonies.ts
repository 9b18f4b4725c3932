import {
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  startAuthentication,
  startRegistration,
  WebAuthnAbortService,
} from '@simplewebauthn/browser';
import type { Schemas } from '../../client/api-client.ts';
import { api, attempt, type Outcome } from './api.ts';
import type { BrowserSession } from './session.ts';

type SignInAnswer = Schemas['Authenticated'] | Schemas['TermsAcceptanceRequired'];

/** What the browser answered: the member cancelled (or no passkey), or an answer from the API. */
export type CeremonyOutcome<T> = { readonly cancelled: true } | ({ readonly cancelled: false } & Outcome<T>);

export const passkeysSupported = (): boolean => browserSupportsWebAuthn();

/**
 * A passkey sign-in, from the button (a modal prompt) or from the NIR field's autofill (conditional
 * mediation, started when the page opens and left waiting until the member picks a passkey).
 */
export async function signInWithPasskey(autofill: boolean): Promise<CeremonyOutcome<SignInAnswer>> {
  if (autofill && !(await browserSupportsWebAuthnAutofill())) return { cancelled: true };
  const options = await attempt(() => api().POST('/v1/passkeys/authenticate/options'));
  // Waiting in the background for the autofill: a failure there is not the member's to see.
  if (!options.ok) return autofill ? { cancelled: true } : { cancelled: false, ...options };
  let response: Awaited<ReturnType<typeof startAuthentication>>;
  try {
    response = await startAuthentication({ optionsJSON: options.data as never, useBrowserAutofill: autofill });
  } catch {
    return { cancelled: true };
  }
  return {
    cancelled: false,
    ...(await attempt(() => api().POST('/v1/passkeys/authenticate', { body: { response: response as never } }))),
  };
}

/** Leaves a waiting autofill request behind when the page changes (a code sign-in, another screen). */
export const cancelPasskeyPrompt = (): void => WebAuthnAbortService.cancelCeremony();

/** Creates a passkey for the signed-in member, named as they chose. */
export async function createPasskey(
  session: BrowserSession,
  name: string,
): Promise<CeremonyOutcome<Schemas['PasskeyAdded']>> {
  const options = await session.authorized((headers) => api().POST('/v1/passkeys/register/options', { headers }));
  if (!options.ok) return { cancelled: false, ...options };
  let response: Awaited<ReturnType<typeof startRegistration>>;
  try {
    response = await startRegistration({ optionsJSON: options.data as never });
  } catch {
    return { cancelled: true };
  }
  return {
    cancelled: false,
    ...(await session.authorized((headers) =>
      api().POST('/v1/passkeys/register', { body: { response: response as never, name }, headers }),
    )),
  };
}
