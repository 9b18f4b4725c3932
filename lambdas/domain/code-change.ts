import { parseCode } from './code-format.ts';
import type { CodeHasher } from './code-hashing.ts';
import { type AttemptSource, auditFields, type CredentialCheck } from './credential-check.ts';
import { AccountDeactivatedError, InvalidCredentialsError } from './errors.ts';
import type { MemberRepository } from './member.ts';
import type { MemberMail } from './member-mail.ts';
import { parseNewCode } from './new-code.ts';
import { parseNir } from './nir.ts';
import type { Clock, SecurityEvents } from './ports.ts';
import type { RememberedDevice, TrustedDevices } from './trusted-devices.ts';

export interface CodeChangeRequest {
  readonly nir: string;
  readonly currentCode: string;
  readonly newCode: string;
  readonly newCodeConfirmation: string;
  /** Trust this browser (only when the code given is the statement's or a letter's: proof of the postal address). */
  readonly rememberDevice?: boolean | undefined;
}

export interface CodeChangeDependencies {
  readonly credentials: CredentialCheck;
  readonly members: MemberRepository;
  readonly codeHasher: CodeHasher;
  readonly mail: MemberMail;
  readonly devices: TrustedDevices;
  readonly clock: Clock;
  readonly events: SecurityEvents;
}

/**
 * The seed's "Modifier son mot de passe" form: any live code opens it. A letter's temporary code
 * works here even while strangers keep the NIR locked (the letter proves the postal address), and
 * its use clears the lock.
 */
export class CodeChange {
  readonly #d: CodeChangeDependencies;

  constructor(dependencies: CodeChangeDependencies) {
    this.#d = dependencies;
  }

  /** Every session and trusted device of the member ends with the former code; the device the change came from may be trusted anew. */
  async change(input: CodeChangeRequest, source: AttemptSource): Promise<{ device?: RememberedDevice }> {
    const nir = parseNir(input.nir);
    const currentCode = parseCode(input.currentCode, 'currentCode');
    // Checked before the credentials, so a weak choice costs the member no attempt.
    const newCode = parseNewCode(input, nir);

    const { member, kind } = await this.#d.credentials.verify(
      nir,
      currentCode,
      source,
      async ({ member, kind }) => {
        if (member.deactivatedAt !== undefined) throw new AccountDeactivatedError();
        const hash = await this.#d.codeHasher.hashCode(newCode, member.codeSalt);
        const changed = await this.#d.members.setPersonalCode(member.key, {
          hash,
          expectedCodeVersion: member.codeVersion,
          now: this.#d.clock.now(),
        });
        // A concurrent change with the same valid code won: that code is dead now, as after any change.
        if (!changed) throw new InvalidCredentialsError('code changed concurrently');
        return { member, kind };
      },
      { letterRecovery: true },
    );
    await this.#d.events.record('CODE_CHANGED', auditFields(source, member.key, member));
    if (member.codeSignInDisabled) {
      // Only a letter's code gets here in passkey-only mode: the recovery turns code sign-in back on.
      await this.#d.events.record('CODE_SIGN_IN_ENABLED', {
        ...auditFields(source, member.key, member),
        reason: 'LETTER_CODE',
      });
      await this.#d.mail.codeSignInRestored(member, source.language, source.requestId);
    }
    // Already dead by their binding to the former code: removed, and the removal audited.
    await this.#d.devices.forgetAll(member, { by: 'CODE_CHANGED', source });
    const device =
      input.rememberDevice === true && kind !== 'PERSONAL'
        ? await this.#d.devices.remember(member, member.codeVersion + 1, source)
        : undefined;
    await this.#d.mail.codeChanged(member, source.language, source.requestId);
    return { device };
  }
}
