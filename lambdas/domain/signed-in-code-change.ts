import { hasAccessEnded } from './access-end.ts';
import { parseCode } from './code-format.ts';
import type { CodeHasher } from './code-hashing.ts';
import { auditFields, type CredentialCheck } from './credential-check.ts';
import { AccountDeactivatedError, InvalidCredentialsError } from './errors.ts';
import type { Member, MemberRepository } from './member.ts';
import type { MemberMail } from './member-mail.ts';
import { parseNewCode, writePersonalCode } from './new-code.ts';
import type { Clock, SecurityEvents } from './ports.ts';
import type { MemberRequest } from './request-source.ts';
import type { SessionGuard, SessionRecord } from './sessions.ts';
import type { TrustedDevices } from './trusted-devices.ts';

export interface SignedInCodeChangeRequest {
  readonly currentCode: string;
  readonly newCode: string;
  readonly newCodeConfirmation: string;
}

export interface SignedInCodeChangeDependencies {
  readonly credentials: Pick<CredentialCheck, 'verifyMember'>;
  readonly members: Pick<MemberRepository, 'setPersonalCode'>;
  readonly codeHasher: CodeHasher;
  readonly sessions: Pick<SessionGuard, 'endAll' | 'keepAcrossCodeChange'>;
  readonly devices: Pick<TrustedDevices, 'trusted' | 'keepAcrossCodeChange' | 'forgetAllBut'>;
  readonly mail: Pick<MemberMail, 'codeChanged'>;
  readonly clock: Clock;
  readonly events: SecurityEvents;
}

/**
 * "Changer mon mot de passe" in the member's space (http-api-v1.md, POST /v1/me/code): the session
 * names the member, the current personal code proves them — checked and counted exactly as a
 * sign-in. The new code ends every other session and forgets every other trusted device; the
 * session and the device the change came from stay, bound to the new code; reset links and letter
 * codes stop working with the former code. The NIR is not sent, so the new code is held to every
 * rule but "not taken from the NIR" (checked wherever the NIR is typed).
 */
export class SignedInCodeChange {
  readonly #deps: SignedInCodeChangeDependencies;

  constructor(dependencies: SignedInCodeChangeDependencies) {
    this.#deps = dependencies;
  }

  async change(
    principal: { readonly member: Member; readonly session: SessionRecord },
    input: SignedInCodeChangeRequest,
    source: MemberRequest,
  ): Promise<void> {
    const currentCode = parseCode(input.currentCode, 'currentCode');
    // Checked before the code, so a weak choice costs the member no attempt.
    const newCode = parseNewCode(input);
    const { clock, events } = this.#deps;

    const member = await this.#deps.credentials.verifyMember(
      principal.member.key,
      currentCode,
      source,
      async ({ member, kind }) => {
        if (hasAccessEnded(member, clock.now())) throw new AccountDeactivatedError();
        // The contract's "current code" is the personal code: a statement's or letter's code is not one.
        if (kind !== 'PERSONAL') throw new InvalidCredentialsError('not the personal code');
        const changed = await writePersonalCode(this.#deps, member, newCode, clock.now());
        // A concurrent change won: this code is dead now, as after any change.
        if (!changed) throw new InvalidCredentialsError('code changed concurrently');
        return member;
      },
    );
    const next = member.codeVersion + 1;
    const device = await this.#deps.devices.trusted(member, source.deviceToken);
    const keptDevice = device && (await this.#deps.devices.keepAcrossCodeChange(device, next)) ? device : undefined;
    await this.#deps.sessions.keepAcrossCodeChange(principal.session, next, keptDevice?.record.deviceId);
    // The others were bound to the former code and are dead already: ended and forgotten for the trail.
    const revoker = { by: 'MEMBER', source } as const;
    await Promise.all([
      this.#deps.sessions.endAll(member, revoker, principal.session.sid),
      this.#deps.devices.forgetAllBut(member, keptDevice?.record.deviceId, { by: 'CODE_CHANGED', source }),
    ]);
    await events.record('CODE_CHANGED', { ...auditFields(source, member.key, member), mode: 'SIGNED_IN' });
    await this.#deps.mail.codeChanged(member, source.language, source.requestId, []);
  }
}
