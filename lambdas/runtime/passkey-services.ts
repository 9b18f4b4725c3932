import { DynamoPasskeyStore } from '../adapters/dynamo/passkey-store.ts';
import { DynamoWebAuthnChallengeStore } from '../adapters/dynamo/webauthn-challenge-store.ts';
import { Passkeys } from '../domain/passkeys.ts';
import { systemClock } from '../domain/ports.ts';
import { once } from './once.ts';
import {
  attemptStore,
  config,
  events,
  memberMail,
  members,
  passkeyChallengeKey,
  signInSteps,
  table,
  trustedDevices,
} from './services.ts';

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
      passkeys: new DynamoPasskeyStore(table()),
      challenges: new DynamoWebAuthnChallengeStore(table()),
      members: members(),
      devices: trustedDevices(),
      steps: await signInSteps(),
      mail: memberMail(),
      settings: config().passkeys,
      clock: systemClock,
      events: events(),
    }),
);
