import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers';

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();
const b64 = (data: Uint8Array | string) =>
  isoBase64URL.fromBuffer(Uint8Array.from(typeof data === 'string' ? Buffer.from(data) : data));
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

export interface CeremonyTweaks {
  /** The page's origin as the browser reports it. */
  readonly origin?: string;
  /** The RP id whose hash the authenticator signs. */
  readonly rpId?: string;
  /** False: the authenticator did not verify the user (no biometric, no PIN). */
  readonly userVerified?: boolean;
  /** The signature counter to report (default: one more than last time). */
  readonly counter?: number;
  /** The user handle to report (default: the one it was registered with). */
  readonly userHandle?: string;
}

/**
 * A software passkey for tests: an ES256 key pair that answers real WebAuthn ceremonies — "none"
 * attestation at registration, signed assertions after — with knobs to play what an attacker or a
 * broken authenticator would: another origin, another RP id, no user verification, a counter going back.
 */
export class SoftwareAuthenticator {
  readonly credentialId = randomBytes(16);
  readonly #keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  readonly #defaults: { origin: string; rpId: string };
  #counter = 0;
  #userHandle = '';

  constructor(defaults: { origin: string; rpId: string }) {
    this.#defaults = defaults;
  }

  register(options: PublicKeyCredentialCreationOptionsJSON, tweaks: CeremonyTweaks = {}): RegistrationResponseJSON {
    const jwk = this.#keys.publicKey.export({ format: 'jwk' }) as { x: string; y: string };
    const cose = new Map<number, number | Uint8Array>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, isoBase64URL.toBuffer(jwk.x)],
      [-3, isoBase64URL.toBuffer(jwk.y)],
    ]);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([
      sha256(tweaks.rpId ?? this.#defaults.rpId),
      Buffer.from([FLAG_UP | FLAG_AT | (tweaks.userVerified === false ? 0 : FLAG_UV)]),
      u32(this.#counter),
      Buffer.alloc(16), // AAGUID
      idLength,
      this.credentialId,
      Buffer.from(isoCBOR.encode(cose)),
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', new Uint8Array(authData)],
      ]) as never,
    );
    this.#userHandle = options.user.id;
    const clientData = JSON.stringify({
      type: 'webauthn.create',
      challenge: options.challenge,
      origin: tweaks.origin ?? this.#defaults.origin,
      crossOrigin: false,
    });
    return {
      id: b64(this.credentialId),
      rawId: b64(this.credentialId),
      type: 'public-key',
      response: {
        clientDataJSON: b64(clientData),
        attestationObject: b64(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    tweaks: CeremonyTweaks = {},
  ): AuthenticationResponseJSON {
    this.#counter = tweaks.counter ?? this.#counter + 1;
    const authData = Buffer.concat([
      sha256(tweaks.rpId ?? this.#defaults.rpId),
      Buffer.from([FLAG_UP | (tweaks.userVerified === false ? 0 : FLAG_UV)]),
      u32(this.#counter),
    ]);
    const clientData = JSON.stringify({
      type: 'webauthn.get',
      challenge: options.challenge,
      origin: tweaks.origin ?? this.#defaults.origin,
      crossOrigin: false,
    });
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), this.#keys.privateKey);
    return {
      id: b64(this.credentialId),
      rawId: b64(this.credentialId),
      type: 'public-key',
      response: {
        clientDataJSON: b64(clientData),
        authenticatorData: b64(authData),
        signature: b64(signature),
        userHandle: tweaks.userHandle ?? this.#userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }
}
