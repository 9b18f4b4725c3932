import { AccessTokens } from '../domain/access-tokens.ts';
import { systemClock } from '../domain/ports.ts';
import { config } from './config.ts';
import { once } from './once.ts';
import { refreshing } from './refreshing.ts';
import { SIGNING_KEYS_MAX_AGE_MS, tokenKeys } from './token-verifier.ts';

/**
 * Access tokens for the functions that issue them. The key is looked up on first use and again
 * every 5 minutes, so that a rotation reaches every function without a redeploy.
 */
export const accessTokens = /* @__PURE__ */ once(
  () =>
    new AccessTokens(
      {
        signingKey: refreshing(() => tokenKeys().signingKey(), SIGNING_KEYS_MAX_AGE_MS),
        publicKeys: refreshing(() => tokenKeys().publicKeys(), SIGNING_KEYS_MAX_AGE_MS),
      },
      config().tokens,
      systemClock,
    ),
);
