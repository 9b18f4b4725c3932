import { flow } from './flow.ts';
import { t } from './i18n.ts';
import { navigate, PATHS } from './router.ts';
import type { BrowserSession } from './session.ts';

/** Signs out, and says so on the sign-in page it lands on. */
export async function signOut(session: BrowserSession): Promise<void> {
  await session.signOut();
  flow.notice = t('signedOut');
  await navigate(PATHS.login);
}
