import { AccountDeactivatedError, CodeConfirmationMismatchError, InvalidCredentialsError } from './errors.ts';
import { assertStrongCode } from './code-blocklist.ts';
import type { CodeHasher } from './code-hashing.ts';
import { parseCode } from './code-format.ts';
import type { AttemptSource, CredentialCheck } from './credential-check.ts';
import { parseNir } from './nir.ts';
import type { Clock, MemberRepository, SecurityEvents } from './ports.ts';
import type { Language, MemberMail } from './member-mail.ts';

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

/** The seed's "Modifier son mot de passe" form: any live code opens it. */
export class CodeChange {
  readonly #d: CodeChangeDependencies;

  constructor(dependencies: CodeChangeDependencies) {
    this.#d = dependencies;
  }

  async change(input: CodeChangeRequest, source: AttemptSource & { language: Language }): Promise<void> {
    const nir = parseNir(input.nir);
    const currentCode = parseCode(input.currentCode, 'currentCode');
    const newCode = parseCode(input.newCode, 'newCode');
    parseCode(input.newCodeConfirmation, 'newCodeConfirmation');
    if (input.newCodeConfirmation !== input.newCode) {
      throw new CodeConfirmationMismatchError('confirmation differs', { fields: { newCodeConfirmation: 'MISMATCH' } });
    }
    // Checked before the credentials, so a weak choice costs the member no attempt.
    assertStrongCode(newCode, nir);

    const member = await this.#d.credentials.verify(nir, currentCode, source, async ({ member }) => {
      if (member.deactivatedAt !== undefined) throw new AccountDeactivatedError();
      const hash = await this.#d.codeHasher.hash(await this.#d.codeHasher.pepper(newCode), member.codeSalt);
      const changed = await this.#d.members.setPersonalCode(member.key, {
        hash,
        expectedCodeVersion: member.codeVersion,
        now: this.#d.clock.now(),
      });
      // A concurrent change with the same valid code won: that code is dead now, as after any change.
      if (!changed) throw new InvalidCredentialsError('code changed concurrently');
      return member;
    });
    await this.#d.events.record('CODE_CHANGED', { requestId: source.requestId, sourceIp: source.sourceIp, memberKey: member.key, memberId: member.memberId });
    await this.#d.mail.codeChanged(member, source.language, source.requestId);
  }
}
