import { parseCode } from './code-format.ts';
import type { CodeHasher } from './code-hashing.ts';
import { type AttemptSource, auditFields, type CredentialCheck } from './credential-check.ts';
import { AccountDeactivatedError, InvalidCredentialsError } from './errors.ts';
import type { MemberRepository } from './member.ts';
import type { MemberMail } from './member-mail.ts';
import { parseNewCode } from './new-code.ts';
import { parseNir } from './nir.ts';
import type { Clock, SecurityEvents } from './ports.ts';

export interface CodeChangeRequest {
  readonly nir: string;
  readonly currentCode: string;
  readonly newCode: string;
  readonly newCodeConfirmation: string;
}

export interface CodeChangeDependencies {
  readonly credentials: CredentialCheck;
  readonly members: MemberRepository;
  readonly codeHasher: CodeHasher;
  readonly mail: MemberMail;
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

  async change(input: CodeChangeRequest, source: AttemptSource): Promise<void> {
    const nir = parseNir(input.nir);
    const currentCode = parseCode(input.currentCode, 'currentCode');
    // Checked before the credentials, so a weak choice costs the member no attempt.
    const newCode = parseNewCode(input, nir);

    const member = await this.#d.credentials.verify(
      nir,
      currentCode,
      source,
      async ({ member }) => {
        if (member.deactivatedAt !== undefined) throw new AccountDeactivatedError();
        const hash = await this.#d.codeHasher.hashCode(newCode, member.codeSalt);
        const changed = await this.#d.members.setPersonalCode(member.key, {
          hash,
          expectedCodeVersion: member.codeVersion,
          now: this.#d.clock.now(),
        });
        // A concurrent change with the same valid code won: that code is dead now, as after any change.
        if (!changed) throw new InvalidCredentialsError('code changed concurrently');
        return member;
      },
      { letterRecovery: true },
    );
    await this.#d.events.record('CODE_CHANGED', auditFields(source, member.key, member));
    await this.#d.mail.codeChanged(member, source.language, source.requestId);
  }
}
