import { TokenSigner } from '../domain/access-tokens.ts';
import { systemClock } from '../domain/ports.ts';
import { config } from './config.ts';
import { once } from './once.ts';
import { refreshing } from './refreshing.ts';
import { SIGNING_KEYS_MAX_AGE_MS, tokenKeys } from './token-verifier.ts';

/**
 * The signer of the functions that issue access tokens. The key is looked up on first use and again
 * every 5 minutes, so that a rotation reaches every function without a redeploy.
 */
export const tokenSigner = /* @__PURE__ */ once(
  () =>
    new TokenSigner(
      refreshing(() => tokenKeys().signingKey(), SIGNING_KEYS_MAX_AGE_MS),
      config().tokens,
      systemClock,
    ),
);
