import { Passkeys } from '../domain/passkeys.ts';
import {
  attemptStore,
  clock,
  events,
  members,
  passkeyChallengeKey,
  passkeyStore,
  webAuthnChallengeStore,
} from './adapters.ts';
import { config } from './config.ts';
import { once } from './once.ts';
import { memberMail, signInSteps, trustedDevices } from './services.ts';

/**
 * The passkey routes' composition, apart from services.ts: only their bundles carry
 * @simplewebauthn/server (its CBOR, ASN.1 and attestation code), not every other function's.
 */
export { sessionGuard } from './services.ts';

export const passkeys = /* @__PURE__ */ once(
  async () =>
    new Passkeys({
      attempts: attemptStore(),
      optionsPerIp: config().passkeyOptionsPerIp,
      // Only the sign-in's two functions hold this key: the others never reach for it.
      challengeKey: { digest: async (message) => (await passkeyChallengeKey()).digest(message) },
      passkeys: passkeyStore(),
      challenges: webAuthnChallengeStore(),
      members: members(),
      devices: trustedDevices(),
      steps: signInSteps(),
      mail: memberMail(),
      settings: config().passkeys,
      clock: clock(),
      events: events(),
    }),
);
