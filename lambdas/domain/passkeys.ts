import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { decodeClientDataJSON, isoBase64URL } from '@simplewebauthn/server/helpers';
import { hasAccessEnded } from './access-end.ts';
import type { AttemptStore } from './attempts.ts';
import {
  AccountDeactivatedError,
  InvalidChallengeError,
  NotFoundError,
  PasskeyRefusedError,
  ReauthenticationRequiredError,
  TooManyAttemptsError,
} from './errors.ts';
import type { Member, MemberRepository } from './member.ts';
import type { MemberMail } from './member-mail.ts';
import type { Clock, KeyedHasher, SecurityEvents } from './ports.ts';
import { newId, newSecret, secretHash } from './random-secrets.ts';
import type { MemberRequest } from './request-source.ts';
import type { SessionRecord } from './sessions.ts';
import type { NextSignInStep, SignInSteps } from './sign-in-steps.ts';
import { retryAfterSeconds, type ThrottlePolicy, windowExpiry, windowIndex } from './throttles.ts';
import type { RememberedDevice, TrustedDevices } from './trusted-devices.ts';

/** A member's passkey, by its credential id (never logged); `passkeyId` is what the member's list names. */
export interface PasskeyRecord {
  readonly credentialId: string;
  readonly passkeyId: string;
  readonly memberKey: string;
  readonly memberId: string;
  /** The WebAuthn user handle it was made for (the member's `passkeyUserId`). */
  readonly userHandle: string;
  /** COSE public key, base64url. */
  readonly publicKey: string;
  readonly counter: number;
  readonly transports?: readonly string[] | undefined;
  /** A synced (multi-device) passkey, or one bound to its authenticator. */
  readonly synced: boolean;
  readonly name: string;
  readonly createdAt: number;
  readonly lastUsedAt?: number | undefined;
}

export interface PasskeyStore {
  /** Only if no passkey has this credential id. */
  create(record: PasskeyRecord): Promise<void>;
  get(credentialId: string): Promise<PasskeyRecord | undefined>;
  listByMember(memberKey: string): Promise<PasskeyRecord[]>;
  /** Only while the stored counter is still `expected`: of two uses of one signature, one wins. */
  recordUse(credentialId: string, expected: number, next: number, now: number): Promise<boolean>;
  rename(credentialId: string, name: string): Promise<void>;
  delete(credentialId: string): Promise<void>;
}

export interface WebAuthnChallengeRecord {
  /** A registration challenge, or the mark that a MAC'd sign-in challenge was answered (never consumed as one). */
  readonly purpose: 'REGISTER' | 'USED';
  /** Registration only: the member and the session that asked. */
  readonly memberKey?: string | undefined;
  readonly sid?: string | undefined;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface WebAuthnChallengeStore {
  put(hash: string, record: WebAuthnChallengeRecord): Promise<void>;
  /** Records that a MAC'd sign-in challenge was answered, kept until it expires: false if it already was (single use). */
  recordUse(hash: string, expiresAt: number): Promise<boolean>;
  /**
   * Deletes an enrolment's challenge if still there and unexpired; returns it only to the one caller
   * that deleted it. A sign-in's `USED` mark is never spent this way (its single use must hold).
   */
  consume(hash: string, now: number): Promise<WebAuthnChallengeRecord | undefined>;
}

interface PasskeySettings {
  /** The relying party: the portal's host name (or a parent domain of it). */
  readonly rpId: string;
  readonly rpName: string;
  /** The portal origins the ceremonies may run on. */
  readonly origins: readonly string[];
}

export interface PasskeyDependencies {
  /** Anonymous ceremonies started per source IP (a fixed window): one counter per IP, never one item per call. */
  readonly attempts: Pick<AttemptStore, 'reserveWindow'>;
  readonly optionsPerIp: ThrottlePolicy;
  /** MACs the anonymous sign-in challenges: nothing is written until one is answered. */
  readonly challengeKey: KeyedHasher;
  readonly passkeys: PasskeyStore;
  readonly challenges: WebAuthnChallengeStore;
  readonly members: MemberRepository;
  readonly devices: TrustedDevices;
  readonly steps: SignInSteps;
  readonly mail: MemberMail;
  readonly settings: PasskeySettings;
  readonly clock: Clock;
  readonly events: SecurityEvents;
}

/** A ceremony's challenge lives 5 minutes; adding or removing a passkey needs a sign-in as recent. */
const PASSKEY_CHALLENGE_SECONDS = 5 * 60;
const RECENT_SIGN_IN_SECONDS = 5 * 60;

export interface PasskeyView {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
  readonly lastUsedAt: number | undefined;
  readonly synced: boolean;
}

/** COSE algorithms offered: ES256, EdDSA, RS256 (what platform authenticators make). */
const ALGORITHMS = [-7, -8, -257];

const nameOf = (name: string | undefined) => (name ?? '').trim().slice(0, 64) || 'Clé d’accès';

/**
 * Passkeys (WebAuthn, through @simplewebauthn/server): discoverable credentials with user
 * verification, a random user handle (never the NIR), single-use challenges bound to the
 * configured RP id and origins, the signature counter checked and written conditionally. A passkey
 * sign-in is a verified device and ignores the NIR's lock; it continues with the terms and tokens
 * exactly as a code sign-in.
 */
export class Passkeys {
  readonly #deps: PasskeyDependencies;

  constructor(dependencies: PasskeyDependencies) {
    this.#deps = dependencies;
  }

  async registrationOptions(member: Member, session: SessionRecord): Promise<PublicKeyCredentialCreationOptionsJSON> {
    this.#assertRecent(session);
    const { settings } = this.#deps;
    const userHandle = await this.#userHandle(member);
    const existing = await this.#deps.passkeys.listByMember(member.key);
    const options = await generateRegistrationOptions({
      rpName: settings.rpName,
      rpID: settings.rpId,
      userID: isoBase64URL.toBuffer(userHandle),
      userName: `${member.firstName} ${member.lastName}`,
      userDisplayName: `${member.firstName} ${member.lastName}`,
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: [...(p.transports ?? [])] })),
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
      supportedAlgorithmIDs: ALGORITHMS,
      timeout: PASSKEY_CHALLENGE_SECONDS * 1000,
    });
    await this.#putChallenge(options.challenge, { purpose: 'REGISTER', memberKey: member.key, sid: session.sid });
    return options;
  }

  async register(
    member: Member,
    session: SessionRecord,
    input: { response: RegistrationResponseJSON; name?: string | undefined },
    source: MemberRequest,
  ): Promise<PasskeyView> {
    this.#assertRecent(session);
    const challenge = await this.#consume(input.response.response.clientDataJSON, 'REGISTER');
    if (challenge.record.memberKey !== member.key || challenge.record.sid !== session.sid)
      throw new InvalidChallengeError('registration challenge of another session');
    const { settings } = this.#deps;
    const verification = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: challenge.value,
      expectedOrigin: [...settings.origins],
      expectedRPID: settings.rpId,
      requireUserVerification: true,
      supportedAlgorithmIDs: ALGORITHMS,
    }).catch((error: unknown) => this.#refused(member, source, 'registration', error));
    if (!verification.verified) return this.#refused(member, source, 'registration');
    const { credential, credentialDeviceType, credentialBackedUp } = verification.registrationInfo;
    const now = this.#deps.clock.now();
    const record: PasskeyRecord = {
      credentialId: credential.id,
      passkeyId: newId(),
      memberKey: member.key,
      memberId: member.memberId,
      userHandle: await this.#userHandle(member),
      publicKey: isoBase64URL.fromBuffer(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports,
      synced: credentialDeviceType === 'multiDevice' || credentialBackedUp,
      name: nameOf(input.name),
      createdAt: now,
    };
    await this.#deps.passkeys.create(record);
    await this.#record('PASSKEY_ADDED', member, source);
    await this.#deps.mail.passkeyNotice(member, 'ADDED', record.name, now, source.language, source.requestId);
    return view(record);
  }

  /** Anonymous: limited per source IP, so that nobody can fill the table with challenges (http-api-v1.md, POST /v1/login: "what a stranger with a NIR can no longer do"). */
  async authenticationOptions(source: {
    readonly requestId: string;
    readonly sourceIp: string;
  }): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const now = this.#deps.clock.now();
    const policy = this.#deps.optionsPerIp;
    const window = windowIndex(now, policy.windowSeconds);
    const scope = { kind: 'PASSKEY_IP', id: source.sourceIp } as const;
    if (!(await this.#deps.attempts.reserveWindow(scope, window, policy.maxEvents, windowExpiry(window, policy)))) {
      await this.#deps.events.record('PASSKEY_OPTIONS_THROTTLED', {
        requestId: source.requestId,
        sourceIp: source.sourceIp,
        metric: 'AttemptThrottled',
      });
      throw new TooManyAttemptsError(retryAfterSeconds(now, policy), 'THROTTLED', 'passkey ceremonies per IP');
    }
    // Nothing stored: the challenge carries its expiry and a MAC over both (http-api-v1.md, POST /v1/login: "what a stranger with a NIR can no longer do").
    const nonce = randomBytes(16);
    const expiresAt = now + PASSKEY_CHALLENGE_SECONDS * 1000;
    const expiry = Buffer.alloc(8);
    expiry.writeBigUInt64BE(BigInt(expiresAt));
    const mac = await this.#signInChallengeMac(nonce, expiresAt);
    return generateAuthenticationOptions({
      rpID: this.#deps.settings.rpId,
      userVerification: 'required',
      timeout: PASSKEY_CHALLENGE_SECONDS * 1000,
      challenge: new Uint8Array(Buffer.concat([nonce, expiry, mac])),
    });
  }

  #signInChallengeMac(nonce: Buffer, expiresAt: number): Promise<Buffer> {
    return this.#deps.challengeKey.digest(`passkey-sign-in:${nonce.toString('base64url')}:${expiresAt}`);
  }

  /**
   * The sign-in challenge the browser signed: ours (its MAC), unexpired, and answered once — its use
   * recorded by a conditional write, kept until it would have expired.
   */
  async #spendSignInChallenge(clientDataJSON: string): Promise<{ value: string }> {
    const value = challengeOf(clientDataJSON);
    const bytes = Buffer.from(value, 'base64url');
    if (bytes.length !== 56) throw new InvalidChallengeError('not a sign-in challenge');
    const nonce = bytes.subarray(0, 16);
    const expiresAt = Number(bytes.readBigUInt64BE(16));
    const expected = await this.#signInChallengeMac(nonce, expiresAt);
    if (!timingSafeEqual(expected, bytes.subarray(24))) throw new InvalidChallengeError('challenge not ours');
    if (expiresAt <= this.#deps.clock.now()) throw new InvalidChallengeError('challenge expired');
    if (!(await this.#deps.challenges.recordUse(secretHash(value), expiresAt)))
      throw new InvalidChallengeError('challenge already used');
    return { value };
  }

  /**
   * A passkey sign-in: no NIR, no lockout, no mailed code; then the terms and the session. The
   * browser is trusted only when the member asks (`rememberDevice`): a cross-device passkey used on
   * a shared computer must not leave that computer trusted (http-api-v1.md, POST /v1/login: "what a stranger with a NIR can no longer do").
   */
  async authenticate(
    input: { response: AuthenticationResponseJSON; rememberDevice?: boolean | undefined },
    source: MemberRequest,
  ): Promise<NextSignInStep & { readonly device?: RememberedDevice | undefined }> {
    const challenge = await this.#spendSignInChallenge(input.response.response.clientDataJSON);
    const passkey = await this.#deps.passkeys.get(input.response.id);
    const member = passkey && (await this.#deps.members.get(passkey.memberKey));
    if (!passkey || !member || input.response.response.userHandle !== passkey.userHandle)
      return this.#refused(member, source, 'unknown passkey');
    const { settings } = this.#deps;
    const verification = await verifyAuthenticationResponse({
      response: input.response,
      expectedChallenge: challenge.value,
      expectedOrigin: [...settings.origins],
      expectedRPID: settings.rpId,
      requireUserVerification: true,
      credential: {
        id: passkey.credentialId,
        publicKey: isoBase64URL.toBuffer(passkey.publicKey),
        counter: passkey.counter,
        transports: passkey.transports ? [...passkey.transports] : undefined,
      },
    }).catch((error: unknown) => this.#refused(member, source, 'assertion', error));
    if (!verification.verified) return this.#refused(member, source, 'assertion');
    const now = this.#deps.clock.now();
    // The counter the library checked must still be the stored one: a cloned key or a replayed
    // signature racing this one cannot both pass.
    if (
      !(await this.#deps.passkeys.recordUse(
        passkey.credentialId,
        passkey.counter,
        verification.authenticationInfo.newCounter,
        now,
      ))
    )
      return this.#refused(member, source, 'counter moved');
    const fields = {
      requestId: source.requestId,
      sourceIp: source.sourceIp,
      memberKey: member.key,
      memberId: member.memberId,
    };
    if (hasAccessEnded(member, this.#deps.clock.now())) {
      await this.#deps.events.record('LOGIN_REFUSED_DEACTIVATED', { ...fields, method: 'PASSKEY' });
      throw new AccountDeactivatedError();
    }
    await this.#deps.events.record('PASSKEY_SIGN_IN', fields);
    const trusted = await this.#deps.devices.trusted(member, source.deviceToken);
    const device =
      !trusted && input.rememberDevice === true
        ? await this.#deps.devices.remember(member, member.codeVersion, source)
        : undefined;
    const [step] = await Promise.all([
      this.#deps.steps.next(
        member,
        { ...source, deviceId: trusted?.record.deviceId ?? device?.deviceId },
        { ...fields, method: 'PASSKEY' },
      ),
      trusted ? this.#deps.devices.used(trusted) : undefined,
    ]);
    return { ...step, device };
  }

  async list(member: Member): Promise<PasskeyView[]> {
    return (await this.#deps.passkeys.listByMember(member.key)).sort((a, b) => b.createdAt - a.createdAt).map(view);
  }

  async rename(member: Member, passkeyId: string, name: string, source: MemberRequest): Promise<void> {
    const passkey = await this.#find(member, passkeyId);
    await this.#deps.passkeys.rename(passkey.credentialId, nameOf(name));
    await this.#record('PASSKEY_RENAMED', member, source);
  }

  /** Recent sign-in required; removing the last passkey turns code sign-in back on (else no way in would remain). */
  async remove(member: Member, session: SessionRecord, passkeyId: string, source: MemberRequest): Promise<void> {
    this.#assertRecent(session);
    const passkey = await this.#find(member, passkeyId);
    await this.#deps.passkeys.delete(passkey.credentialId);
    await this.#record('PASSKEY_REMOVED', member, source);
    await this.#deps.mail.passkeyNotice(
      member,
      'REMOVED',
      passkey.name,
      this.#deps.clock.now(),
      source.language,
      source.requestId,
    );
    if (member.codeSignInDisabled && (await this.#deps.passkeys.listByMember(member.key)).length === 0) {
      await this.#deps.members.setCodeSignInDisabled(member.key, false);
      await this.#record('CODE_SIGN_IN_ENABLED', member, source, { reason: 'LAST_PASSKEY_REMOVED' });
    }
  }

  /** "Clé d'accès uniquement": only for a member holding a passkey, after a recent sign-in. */
  async setCodeSignIn(member: Member, session: SessionRecord, enabled: boolean, source: MemberRequest): Promise<void> {
    this.#assertRecent(session);
    if (!enabled && (await this.#deps.passkeys.listByMember(member.key)).length === 0)
      throw new NotFoundError('no passkey: code sign-in stays on');
    await this.#deps.members.setCodeSignInDisabled(member.key, !enabled);
    await this.#record(enabled ? 'CODE_SIGN_IN_ENABLED' : 'CODE_SIGN_IN_DISABLED', member, source, {
      reason: 'MEMBER',
    });
  }

  /** The member's WebAuthn user handle: random, set once (the first write wins), never the NIR. */
  async #userHandle(member: Member): Promise<string> {
    return member.passkeyUserId ?? (await this.#deps.members.ensurePasskeyUserId(member.key, newSecret()));
  }

  #assertRecent(session: SessionRecord): void {
    if (this.#deps.clock.now() - session.createdAt > RECENT_SIGN_IN_SECONDS * 1000)
      throw new ReauthenticationRequiredError('sign-in older than 5 minutes');
  }

  async #find(member: Member, passkeyId: string): Promise<PasskeyRecord> {
    const found = (await this.#deps.passkeys.listByMember(member.key)).find((p) => p.passkeyId === passkeyId);
    if (!found) throw new NotFoundError('not one of the member’s passkeys');
    return found;
  }

  async #putChallenge(value: string, record: Omit<WebAuthnChallengeRecord, 'createdAt' | 'expiresAt'>): Promise<void> {
    const now = this.#deps.clock.now();
    await this.#deps.challenges.put(secretHash(value), {
      ...record,
      createdAt: now,
      expiresAt: now + PASSKEY_CHALLENGE_SECONDS * 1000,
    });
  }

  /** The challenge the browser signed, spent with a conditional delete: single use, whatever comes after. */
  async #consume(clientDataJSON: string, purpose: WebAuthnChallengeRecord['purpose']) {
    const value = challengeOf(clientDataJSON);
    const record = await this.#deps.challenges.consume(secretHash(value), this.#deps.clock.now());
    if (!record || record.purpose !== purpose) throw new InvalidChallengeError('challenge unknown, used or expired');
    return { value, record };
  }

  async #refused(member: Member | undefined, source: MemberRequest, why: string, error?: unknown): Promise<never> {
    await this.#deps.events.record('PASSKEY_REFUSED', {
      requestId: source.requestId,
      sourceIp: source.sourceIp,
      memberKey: member?.key,
      memberId: member?.memberId,
      why,
      ...(error instanceof Error ? { errorName: error.name } : {}),
    });
    throw new PasskeyRefusedError(why);
  }

  async #record(
    event: 'PASSKEY_ADDED' | 'PASSKEY_RENAMED' | 'PASSKEY_REMOVED' | 'CODE_SIGN_IN_ENABLED' | 'CODE_SIGN_IN_DISABLED',
    member: Member,
    source: MemberRequest,
    detail: Record<string, string> = {},
  ): Promise<void> {
    await this.#deps.events.record(event, {
      requestId: source.requestId,
      sourceIp: source.sourceIp,
      memberKey: member.key,
      memberId: member.memberId,
      ...detail,
    });
  }
}

const view = (p: PasskeyRecord): PasskeyView => ({
  id: p.passkeyId,
  name: p.name,
  createdAt: p.createdAt,
  lastUsedAt: p.lastUsedAt,
  synced: p.synced,
});

/** The challenge in the client data the browser signed (base64url), or INVALID_CHALLENGE. */
function challengeOf(clientDataJSON: string): string {
  let value: unknown;
  try {
    value = decodeClientDataJSON(clientDataJSON).challenge;
  } catch {
    throw new InvalidChallengeError('unreadable client data');
  }
  if (typeof value !== 'string' || value.length > 256) throw new InvalidChallengeError('no challenge');
  return value;
}
