import { hasAccessEnded } from './access-end.ts';
import { parseCode } from './code-format.ts';
import type { CodeHasher } from './code-hashing.ts';
import { auditFields, type CredentialCheck, type VerifiedCredentials } from './credential-check.ts';
import type { DeviceVerification } from './device-verification.ts';
import { AccountDeactivatedError } from './errors.ts';
import type { Member, MemberRepository } from './member.ts';
import { parseNir } from './nir.ts';
import type { Clock, SecurityEvents } from './ports.ts';
import type { MemberRequest } from './request-source.ts';
import type { NextSignInStep, SignInSteps } from './sign-in-steps.ts';
import type { TermsStore } from './terms.ts';
import type { RememberedDevice, TrustedDevices } from './trusted-devices.ts';

export type LoginOutcome =
  | { readonly status: 'CODE_CHANGE_REQUIRED' }
  | { readonly status: 'DEVICE_VERIFICATION_REQUIRED'; readonly channel: 'EMAIL'; readonly challenge: string }
  | (NextSignInStep & { readonly device?: RememberedDevice | undefined });

export interface LoginDependencies {
  readonly credentials: CredentialCheck;
  readonly members: MemberRepository;
  readonly codeHasher: CodeHasher;
  readonly termsStore: TermsStore;
  readonly steps: SignInSteps;
  readonly devices: TrustedDevices;
  /** New-device verification; undefined when the stage turned it off. */
  readonly deviceVerification: DeviceVerification | undefined;
  readonly clock: Clock;
  readonly events: SecurityEvents;
}

/**
 * Sign-in: only the personal code opens a session; the initial or a temporary code only opens
 * the code-change form; a browser the member never proved must prove the mailbox first; the
 * current terms must have been accepted.
 */
export class Login {
  readonly #deps: LoginDependencies;

  constructor(dependencies: LoginDependencies) {
    this.#deps = dependencies;
  }

  async login(
    input: { nir: string; code: string; rememberDevice?: boolean | undefined },
    source: MemberRequest,
  ): Promise<LoginOutcome> {
    const nir = parseNir(input.nir);
    const code = parseCode(input.code);
    // Read alongside the credential check (it is the same for everyone), not after it.
    const currentTerms = this.#deps.termsStore.current();
    currentTerms.catch(() => undefined);
    return this.#deps.credentials.verify(nir, code, source, async (verified) => {
      const { member } = verified;
      const fields = auditFields(source, member.key, member);
      // Only now, with the right code: a guesser cannot tell a deactivated account from a wrong code.
      if (hasAccessEnded(member, this.#deps.clock.now())) {
        await this.#deps.events.record('LOGIN_REFUSED_DEACTIVATED', fields);
        throw new AccountDeactivatedError();
      }
      if (verified.kind !== 'PERSONAL') {
        await this.#deps.events.record('LOGIN_CODE_CHANGE_REQUIRED', fields);
        return { status: 'CODE_CHANGE_REQUIRED' } as const;
      }
      const upgraded = this.#upgradeHash(verified);
      const verification = this.#deps.deviceVerification;
      if (verification && !verified.device && member.email) {
        const [challenge] = await Promise.all([
          verification.start(member, member.email, source),
          this.#deps.events.record('LOGIN_DEVICE_VERIFICATION_REQUIRED', fields),
          upgraded,
        ]);
        return { status: 'DEVICE_VERIFICATION_REQUIRED', channel: 'EMAIL', challenge } as const;
      }
      // No second channel to ask (no email, or a stage without verification). A member without email
      // may ask to trust this browser (OWASP "device cookies": a stranger's lock on the NIR then does
      // not keep them out of it); nobody else gets a device from a code alone (contract, amended
      // 2026-12-07): for a member with an email, only the mailbox or a passkey makes one.
      const device =
        !verified.device && input.rememberDevice === true && !member.email
          ? await this.#deps.devices.remember(member, member.codeVersion, source)
          : undefined;
      const deviceId = verified.device?.record.deviceId ?? device?.deviceId;
      const [step] = await Promise.all([
        this.#deps.steps.next(member, { ...source, deviceId }, fields, currentTerms),
        upgraded,
        verified.device ? this.#deps.devices.used(verified.device) : undefined,
      ]);
      return { ...step, device };
    });
  }

  /** Parameters raised since this hash was made: rehash now that the code is known to be right. */
  async #upgradeHash(verified: VerifiedCredentials & { member: Member }): Promise<void> {
    const { codeHasher, members } = this.#deps;
    if (!codeHasher.needsRehash(verified.matchedHash)) return;
    const next = await codeHasher.hash(verified.peppered, verified.member.codeSalt);
    await members.replaceCodeHash(verified.member.key, 'personalCodeHash', verified.matchedHash, next);
  }
}
