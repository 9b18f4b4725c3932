import type { Schemas } from '../../client/api-client.ts';
import { flow } from './flow.ts';
import { navigate, PATHS } from './router.ts';
import type { BrowserSession } from './session.ts';

/** What follows a proof of the member, the same after the code and after the mailed code: the terms, or *Mon espace*. */
export async function continueSignIn(
  session: BrowserSession,
  answer: Schemas['Authenticated'] | Schemas['TermsAcceptanceRequired'],
): Promise<void> {
  if (answer.status === 'AUTHENTICATED') {
    session.start(answer);
    await navigate(PATHS.home);
  } else {
    flow.terms = { version: answer.terms.version, url: answer.terms.url, challenge: answer.challenge };
    await navigate(PATHS.terms);
  }
}
