import { InvalidCredentialsError } from './errors.ts';
import type { Member } from './member.ts';
import type { EventFields, SecurityEvents } from './ports.ts';
import type { RequestSource } from './request-source.ts';
import type { Authenticated, SessionIssuer } from './sessions.ts';
import { mustAcceptTerms, type Terms, type TermsOfUse, type TermsStore } from './terms.ts';

/**
 * What follows a proof of the member (the personal code from a trusted device, or a verified new
 * device). `source.deviceId`: the trusted device the sign-in came from, which the session belongs to.
 */
export type NextSignInStep =
  | { readonly status: 'TERMS_ACCEPTANCE_REQUIRED'; readonly terms: Terms; readonly challenge: string }
  | Authenticated;

export interface SignInStepDependencies {
  readonly termsStore: TermsStore;
  readonly termsOfUse: TermsOfUse;
  readonly sessions: SessionIssuer;
  readonly events: SecurityEvents;
}

/** The last steps of every sign-in, the same whatever proved the member: the current terms, then a session. */
export class SignInSteps {
  readonly #deps: SignInStepDependencies;

  constructor(dependencies: SignInStepDependencies) {
    this.#deps = dependencies;
  }

  /**
   * `member` as it was when proved (its `codeVersion` binds what is issued); `currentTerms` may be
   * read ahead by the caller, in parallel with its own work.
   */
  async next(
    member: Member,
    source: RequestSource & { readonly deviceId?: string | undefined },
    fields: EventFields,
    currentTerms: Promise<Terms | undefined> = this.#deps.termsStore.current(),
  ): Promise<NextSignInStep> {
    const terms = await currentTerms;
    if (mustAcceptTerms(member, terms)) {
      await this.#deps.events.record('LOGIN_TERMS_ACCEPTANCE_REQUIRED', fields);
      return {
        status: 'TERMS_ACCEPTANCE_REQUIRED',
        terms,
        challenge: await this.#deps.termsOfUse.issueChallenge(member, source.deviceId),
      } as const;
    }
    // The audit entry in the session's own transaction: never a session without its entry, and no
    // round trip of its own.
    const session = await this.#deps.sessions.start(
      member,
      source,
      [this.#deps.events.prepare('LOGIN_SUCCEEDED', fields)],
      {
        deviceId: source.deviceId,
      },
    );
    if (!session) {
      // Proved when checked, but the code changed (or access ended) before the session was
      // written: what was proved is dead now, as after any change.
      await this.#deps.events.record('LOGIN_REFUSED_STALE', fields);
      throw new InvalidCredentialsError('code changed during sign-in');
    }
    return session;
  }
}
