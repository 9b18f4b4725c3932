/**
 * What one screen hands the next, in this tab's memory only (a reload starts over): the NIR typed
 * at sign-in for the code-change form, the terms challenge, a notice to show on the next screen.
 */
export const flow: {
  nir?: string | undefined;
  currentCode?: string | undefined;
  terms?: { readonly version: string; readonly url: string; readonly challenge: string } | undefined;
  /** The new-device step: the challenge of the mailed code, and the API's message. */
  device?: { readonly challenge: string; readonly message: string } | undefined;
  notice?: string | undefined;
  /** The reset link's token, taken out of the address bar as soon as the page opens. */
  resetToken?: string | undefined;
} = {};

/** The notice for this screen, once. */
export function takeNotice(): string | undefined {
  const notice = flow.notice;
  flow.notice = undefined;
  return notice;
}
