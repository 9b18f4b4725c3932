import type { PasskeyView } from '../domain/passkeys.ts';
import { isoInstant, isoInstantOrNull } from './instants.ts';

/** A passkey as `GET /v1/passkeys` and its enrolment answer show it. */
export const passkeyJson = (p: PasskeyView) => ({
  ...p,
  createdAt: isoInstant(p.createdAt),
  lastUsedAt: isoInstantOrNull(p.lastUsedAt),
});
