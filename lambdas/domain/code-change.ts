import { hasAccessEnded } from './access-end.ts';
import { parseCode } from './code-format.ts';
import type { CodeHasher } from './code-hashing.ts';
import { auditFields, type CredentialCheck } from './credential-check.ts';
import { AccountDeactivatedError, DeviceNotTrustedError, InvalidCredentialsError } from './errors.ts';
import type { NirLocks } from './lock-recovery.ts';
import type { MemberRepository } from './member.ts';
import type { MemberMail } from './member-mail.ts';
import { parseNewCode, writePersonalCode } from './new-code.ts';
import { parseNir } from './nir.ts';
import type { PasskeyRemoval } from './passkey-removal.ts';
import type { Clock, SecurityEvents } from './ports.ts';
import type { MemberRequest } from './request-source.ts';
import type { RememberedDevice, TrustedDevices } from './trusted-devices.ts';

export interface CodeChangeRequest {
  readonly nir: string;
  readonly currentCode: string;
  readonly newCode: string;
  readonly newCodeConfirmation: string;
  /** Trust this browser: for a member without email, whose statement's or letter's code proves the postal address. */
  readonly rememberDevice?: boolean | undefined;
}

export interface CodeChangeDependencies {
  readonly credentials: CredentialCheck;
  readonly members: MemberRepository;
  readonly codeHasher: CodeHasher;
  readonly mail: MemberMail;
  readonly devices: TrustedDevices;
  readonly locks: NirLocks;
  readonly passkeys: PasskeyRemoval;
  /**
   * New-device verification is on (the stage's choice): the personal code from a browser the member
   * never proved changes nothing for a member with an email on file.
   */
  readonly requireProvenDevice: boolean;
  readonly clock: Clock;
  readonly events: SecurityEvents;
}

/**
 * The seed's "Modifier son mot de passe" form: the statement's code, a letter's code or — from a
 * browser the member proved — the personal code opens it. A letter's temporary code works here even
 * while strangers keep the NIR refused (the letter proves the postal address), and its use clears the
 * NIR's lock and cap and removes every passkey: an intruder's foothold does not survive recovery.
 */
export class CodeChange {
  readonly #deps: CodeChangeDependencies;

  constructor(dependencies: CodeChangeDependencies) {
    this.#deps = dependencies;
  }

  /**
   * Every session and trusted device of the member ends with the former code. The browser the change
   * came from stays trusted when it was (the personal code from a proved device), and becomes trusted
   * only for a member without email who asks (`rememberDevice`): for a member with an email, a
   * statement's or letter's code never replaces the mailbox (http-api-v1.md, POST /v1/login: "what a stranger with a NIR can no longer do").
   */
  async change(input: CodeChangeRequest, source: MemberRequest): Promise<{ device?: RememberedDevice }> {
    const nir = parseNir(input.nir);
    const currentCode = parseCode(input.currentCode, 'currentCode');
    // Checked before the credentials, so a weak choice costs the member no attempt.
    const newCode = parseNewCode(input, nir);

    const { member, kind, proved } = await this.#deps.credentials.verify(
      nir,
      currentCode,
      source,
      async ({ member, kind, device }) => {
        if (hasAccessEnded(member, this.#deps.clock.now())) throw new AccountDeactivatedError();
        // Only after the right code, like DEVICE_VERIFICATION_REQUIRED: a guesser learns nothing here.
        if (kind === 'PERSONAL' && !device && member.email && this.#deps.requireProvenDevice) {
          await this.#deps.events.record('CODE_CHANGE_REFUSED_UNTRUSTED', auditFields(source, member.key, member));
          throw new DeviceNotTrustedError('personal code from a browser the member never proved');
        }
        const changed = await writePersonalCode(this.#deps, member, newCode, this.#deps.clock.now());
        // A concurrent change with the same valid code won: that code is dead now, as after any change.
        if (!changed) throw new InvalidCredentialsError('code changed concurrently');
        return { member, kind, proved: device !== undefined };
      },
      { letterRecovery: true },
    );
    const fields = auditFields(source, member.key, member);
    await this.#deps.events.record('CODE_CHANGED', fields);
    const letter = kind === 'TEMPORARY';
    const removedPasskeys = letter
      ? await Promise.all([
          this.#deps.locks.clear(member.key, 'LETTER_CODE', fields),
          // Only a letter's code gets here in passkey-only mode: the recovery ends it.
          this.#deps.passkeys.removeAll(member, 'LETTER_CODE', fields, source),
        ]).then(([, names]) => names)
      : [];
    // Already dead by their binding to the former code: removed, and the removal audited.
    await this.#deps.devices.forgetAll(member, { by: 'CODE_CHANGED', source });
    const trustAgain = kind === 'PERSONAL' ? proved : input.rememberDevice === true && !member.email;
    const device = trustAgain ? await this.#deps.devices.remember(member, member.codeVersion + 1, source) : undefined;
    await this.#deps.mail.codeChanged(member, source.language, source.requestId, removedPasskeys);
    return { device };
  }
}
