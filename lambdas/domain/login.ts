import { parseCode } from './code-format.ts';
import type { CodeHasher } from './code-hashing.ts';
import { type AttemptSource, auditFields, type CredentialCheck, type VerifiedCredentials } from './credential-check.ts';
import { AccountDeactivatedError, InvalidCredentialsError } from './errors.ts';
import type { MemberRepository } from './member.ts';
import { parseNir } from './nir.ts';
import type { SecurityEvents } from './ports.ts';
import type { Authenticated, Sessions } from './sessions.ts';
import type { Terms, TermsStore } from './terms.ts';
import { mustAcceptTerms, type TermsOfUse } from './terms.ts';

export type LoginOutcome =
  | { readonly status: 'CODE_CHANGE_REQUIRED' }
  | { readonly status: 'TERMS_ACCEPTANCE_REQUIRED'; readonly terms: Terms; readonly challenge: string }
  | Authenticated;

export interface LoginDependencies {
  readonly credentials: CredentialCheck;
  readonly members: MemberRepository;
  readonly codeHasher: CodeHasher;
  readonly termsStore: TermsStore;
  readonly termsOfUse: TermsOfUse;
  readonly sessions: Sessions;
  readonly events: SecurityEvents;
}

/**
 * Sign-in: only the personal code opens a session; the initial or a temporary code only opens
 * the code-change form; the current terms must have been accepted.
 */
export class Login {
  readonly #d: LoginDependencies;

  constructor(dependencies: LoginDependencies) {
    this.#d = dependencies;
  }

  async login(input: { nir: string; code: string }, source: AttemptSource): Promise<LoginOutcome> {
    const nir = parseNir(input.nir);
    const code = parseCode(input.code);
    // Read alongside the credential check (it is the same for everyone), not after it.
    const currentTerms = this.#d.termsStore.current();
    currentTerms.catch(() => undefined);
    return this.#d.credentials.verify(nir, code, source, async (verified) => {
      const { member } = verified;
      const fields = auditFields(source, member.key, member);
      // Only now, with the right code: a guesser cannot tell a deactivated account from a wrong code.
      if (member.deactivatedAt !== undefined) {
        await this.#d.events.record('LOGIN_REFUSED_DEACTIVATED', fields);
        throw new AccountDeactivatedError();
      }
      if (verified.kind !== 'PERSONAL') {
        await this.#d.events.record('LOGIN_CODE_CHANGE_REQUIRED', fields);
        return { status: 'CODE_CHANGE_REQUIRED' } as const;
      }
      await this.#upgradeHash(verified);
      const terms = await currentTerms;
      if (mustAcceptTerms(member, terms)) {
        await this.#d.events.record('LOGIN_TERMS_ACCEPTANCE_REQUIRED', fields);
        return {
          status: 'TERMS_ACCEPTANCE_REQUIRED',
          terms,
          challenge: await this.#d.termsOfUse.issueChallenge(member),
        } as const;
      }
      const [, session] = await Promise.all([
        this.#d.events.record('LOGIN_SUCCEEDED', fields),
        this.#d.sessions.start(member, source),
      ]);
      if (!session) {
        // The code was right when checked, but changed (or access ended) before the session was
        // written: the code given is dead now, as after any change.
        await this.#d.events.record('LOGIN_REFUSED_STALE', fields);
        throw new InvalidCredentialsError('code changed during sign-in');
      }
      return session;
    });
  }

  /** Parameters raised since this hash was made: rehash now that the code is known to be right. */
  async #upgradeHash(verified: VerifiedCredentials): Promise<void> {
    const { codeHasher, members } = this.#d;
    if (!codeHasher.needsRehash(verified.matchedHash)) return;
    const next = await codeHasher.hash(verified.peppered, verified.member.codeSalt);
    await members.replaceCodeHash(verified.member.key, 'personalCodeHash', verified.matchedHash, next);
  }
}
