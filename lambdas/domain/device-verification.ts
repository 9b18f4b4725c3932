import { timingSafeEqual } from 'node:crypto';
import { AttemptReservations } from './attempt-reservations.ts';
import { type AttemptStore, dailyCapPolicy, deviceCodesCounterKey } from './attempts.ts';
import { parseCode } from './code-format.ts';
import { InvalidChallengeError, InvalidDeviceCodeError, TooManyAttemptsError } from './errors.ts';
import { isBindingStillValid, type Member, type MemberRepository } from './member.ts';
import type { MemberMail } from './member-mail.ts';
import type { Clock, KeyedHasher, SecurityEvents } from './ports.ts';
import { isSecret, newSecret, newSixDigitCode, secretHash } from './random-secrets.ts';
import type { MemberRequest } from './request-source.ts';
import type { NextSignInStep, SignInSteps } from './sign-in-steps.ts';
import type { RememberedDevice, TrustedDevices } from './trusted-devices.ts';

/** A pending new-device verification: the mailed code exists only as a keyed hash. */
export interface DeviceChallengeRecord {
  readonly memberKey: string;
  readonly memberId: string;
  /** The member's `codeVersion` when the personal code was verified. */
  readonly codeVersion: number;
  readonly codeHash: string;
  /** Codes checked so far (each reserved before it is compared). */
  readonly checks: number;
  /** New codes mailed for it since the first ("Renvoyer le code"). */
  readonly resends: number;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface DeviceChallengeStore {
  put(hash: string, record: DeviceChallengeRecord): Promise<void>;
  /**
   * Counts one more check, only while fewer than `maxChecks` were made and the challenge is
   * unexpired (one conditional write: concurrent guesses cannot exceed it); undefined otherwise.
   */
  reserveCheck(hash: string, maxChecks: number, now: number): Promise<DeviceChallengeRecord | undefined>;
  /**
   * Puts a new code in place of the mailed one and a new expiry, only while it is unexpired, has
   * checks left and was resent fewer than `maxResends` times (one conditional write); the checks
   * already made stay counted. Undefined otherwise.
   */
  replaceCode(hash: string, change: CodeReplacement, now: number): Promise<DeviceChallengeRecord | undefined>;
  /** Deletes it if still there and unexpired; returns it only to the one caller that deleted it. */
  consume(hash: string, now: number): Promise<DeviceChallengeRecord | undefined>;
}

export interface CodeReplacement {
  readonly codeHash: string;
  readonly expiresAt: number;
  readonly maxChecks: number;
  readonly maxResends: number;
}

const DEVICE_CODE_TTL_SECONDS = 10 * 60;
const DEVICE_CODE_MAX_CHECKS = 3;
/**
 * New codes one challenge may ask for: a mail that is late or lost costs the member a click, not a
 * new sign-in. The three checks are for the challenge, not for each code.
 */
const DEVICE_CODE_MAX_RESENDS = 3;
/**
 * Codes mailed per member in any 24 hours (an exact sliding window, not a calendar day): whoever
 * knows the personal code gets at most 10 × 3 guesses at the mailed ones in any 24 hours, and the
 * member a mail for each.
 */
const DEVICE_CHALLENGES_PER_DAY = 10;

export interface DeviceVerificationDependencies {
  readonly challenges: DeviceChallengeStore;
  /** The per-member count of mailed codes. */
  readonly attempts: AttemptStore;
  readonly members: MemberRepository;
  /** The code pepper: a table dump alone cannot test the 10^6 codes against a stored hash. */
  readonly codeKey: KeyedHasher;
  readonly mail: MemberMail;
  readonly devices: TrustedDevices;
  readonly steps: SignInSteps;
  readonly clock: Clock;
  readonly events: SecurityEvents;
}

export interface DeviceVerifyRequest {
  readonly challenge: string;
  readonly code: string;
  readonly rememberDevice: boolean;
}

export type DeviceVerifyOutcome = NextSignInStep & { readonly device?: RememberedDevice | undefined };

/**
 * New-device verification (http-api-v1.md, POST /v1/device/verify): the right personal code from a browser
 * the member never proved asks for a one-time code mailed to the address on file; three wrong codes
 * or ten minutes end the challenge.
 */
export class DeviceVerification {
  readonly #deps: DeviceVerificationDependencies;
  readonly #reservations: AttemptReservations;

  constructor(dependencies: DeviceVerificationDependencies) {
    this.#deps = dependencies;
    this.#reservations = new AttemptReservations(dependencies.attempts, dependencies.clock);
  }

  /** Mails a fresh code and returns the challenge that names it. The member has an email on file. */
  async start(member: Member, email: string, source: MemberRequest): Promise<string> {
    await this.#countMail(member, source);
    const now = this.#deps.clock.now();
    const challenge = newSecret();
    const hash = secretHash(challenge);
    const code = newSixDigitCode();
    await this.#deps.challenges.put(hash, {
      memberKey: member.key,
      memberId: member.memberId,
      codeVersion: member.codeVersion,
      codeHash: await this.#codeHash(hash, code),
      checks: 0,
      resends: 0,
      createdAt: now,
      expiresAt: now + DEVICE_CODE_TTL_SECONDS * 1000,
    });
    await this.#mailCode(member, email, code, source);
    return challenge;
  }

  /**
   * « Renvoyer le code » (POST /v1/device/resend): a new code mailed for the same challenge — the
   * previous one stops working — with its ten minutes started again. The checks already made stay
   * counted (resending buys no guesses), a challenge is resent at most three times, and the
   * member's daily count of mailed codes counts this one too.
   */
  async resend(challenge: string, source: MemberRequest): Promise<void> {
    if (!isSecret(challenge)) throw new InvalidChallengeError('not a challenge');
    const hash = secretHash(challenge);
    const code = newSixDigitCode();
    const now = this.#deps.clock.now();
    const replaced = await this.#deps.challenges.replaceCode(
      hash,
      {
        codeHash: await this.#codeHash(hash, code),
        expiresAt: now + DEVICE_CODE_TTL_SECONDS * 1000,
        maxChecks: DEVICE_CODE_MAX_CHECKS,
        maxResends: DEVICE_CODE_MAX_RESENDS,
      },
      now,
    );
    if (!replaced) throw new InvalidChallengeError('device challenge unknown, expired, spent or resent too often');
    const member = await this.#deps.members.get(replaced.memberKey);
    if (!member?.email || !isBindingStillValid(member, replaced.codeVersion, now)) {
      throw new InvalidChallengeError('member deactivated, without email or code changed since');
    }
    await this.#countMail(member, source);
    await this.#mailCode(member, member.email, code, source);
    await this.#deps.events.record('DEVICE_CODE_RESENT', {
      requestId: source.requestId,
      sourceIp: source.sourceIp,
      memberKey: member.key,
      memberId: member.memberId,
      resends: replaced.resends,
    });
  }

  /** One more mailed code in the member's 24 hours, or 429 (audited) past the cap. */
  async #countMail(member: Member, source: MemberRequest): Promise<void> {
    await this.#reservations
      .reserveCounter({
        role: 'DEVICE_CODES',
        key: deviceCodesCounterKey(member.key),
        policy: dailyCapPolicy(DEVICE_CHALLENGES_PER_DAY),
      })
      .catch(async (error: unknown) => {
        if (error instanceof TooManyAttemptsError) {
          await this.#deps.events.record('DEVICE_CODES_LIMITED', {
            requestId: source.requestId,
            sourceIp: source.sourceIp,
            memberKey: member.key,
            memberId: member.memberId,
            metric: 'AttemptThrottled',
          });
        }
        throw error;
      });
  }

  async #mailCode(member: Member, email: string, code: string, source: MemberRequest): Promise<void> {
    await this.#deps.mail.deviceCode(
      member,
      email,
      code,
      DEVICE_CODE_TTL_SECONDS / 60,
      source.language,
      source.requestId,
    );
  }

  async verify(request: DeviceVerifyRequest, source: MemberRequest): Promise<DeviceVerifyOutcome> {
    if (!isSecret(request.challenge)) throw new InvalidChallengeError('not a challenge');
    const code = parseCode(request.code);
    const hash = secretHash(request.challenge);
    const { challenges, clock, events } = this.#deps;
    const reserved = await challenges.reserveCheck(hash, DEVICE_CODE_MAX_CHECKS, clock.now());
    if (!reserved) throw new InvalidChallengeError('device challenge unknown, expired or spent');
    const fields = {
      requestId: source.requestId,
      sourceIp: source.sourceIp,
      memberKey: reserved.memberKey,
      memberId: reserved.memberId,
    };
    if (!equal(await this.#codeHash(hash, code), reserved.codeHash)) {
      await events.record('DEVICE_CODE_REFUSED', { ...fields, checks: reserved.checks });
      // The tries left are the holder's own (the challenge proves the personal code): say them.
      throw new InvalidDeviceCodeError('wrong device code', {
        params: { triesLeft: DEVICE_CODE_MAX_CHECKS - reserved.checks },
      });
    }
    const consumed = await challenges.consume(hash, clock.now());
    if (!consumed) throw new InvalidChallengeError('device challenge already used');
    const member = await this.#deps.members.get(consumed.memberKey);
    if (!member || !isBindingStillValid(member, consumed.codeVersion, clock.now())) {
      throw new InvalidChallengeError('member deactivated or code changed since');
    }
    await events.record('DEVICE_VERIFIED', fields);
    const device = request.rememberDevice
      ? await this.#deps.devices.remember(member, consumed.codeVersion, source)
      : undefined;
    const step = await this.#deps.steps.next(member, { ...source, deviceId: device?.deviceId }, fields);
    return { ...step, device };
  }

  /** `code`: six digits (made by `start`, or checked by `parseCode` in `verify`). */
  async #codeHash(challengeHash: string, code: string): Promise<string> {
    return (await this.#deps.codeKey.digest(`device-code:${challengeHash}:${code}`)).toString('base64url');
  }
}

const equal = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
