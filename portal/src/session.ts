import { api, attempt, type Outcome } from './api.ts';

interface Tokens {
  readonly accessToken: string;
  readonly expiresAt: number;
}

/** Refreshed this long before the access token expires. */
const REFRESH_AHEAD_MS = 60_000;
const CHANNEL = 'mp-session';
const REFRESH_LOCK = 'mp-refresh';

/** `signed-out-elsewhere`: another tab signed out; `expired`: the scheduled refresh found the session over. */
type SessionEvent = 'signed-out-elsewhere' | 'expired';
type Listener = (event: SessionEvent) => void;

/**
 * The session in a browser: the access token in this tab's memory only (never localStorage or
 * sessionStorage); the refresh token in the HttpOnly cookie the API sets, which script never
 * reads. A refresh runs before the token expires and on reload, one at a time across tabs (Web
 * Locks: tabs share the cookie, and each refresh rotates it); signing out in one tab signs out
 * every tab (BroadcastChannel).
 */
export class BrowserSession {
  #tokens: Tokens | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #channel = new BroadcastChannel(CHANNEL);
  readonly #listeners = new Set<Listener>();

  constructor() {
    this.#channel.onmessage = (message: MessageEvent<string>) => {
      if (message.data === 'signed-out') this.#forget('signed-out-elsewhere');
    };
  }

  onChange(listener: Listener): void {
    this.#listeners.add(listener);
  }

  /** After a sign-in or a refresh: the token kept in memory, the next refresh scheduled. */
  start(answer: { accessToken: string; expiresIn: number }): void {
    this.#tokens = { accessToken: answer.accessToken, expiresAt: Date.now() + answer.expiresIn * 1000 };
    clearTimeout(this.#timer);
    this.#timer = setTimeout(
      () => {
        void this.refresh().then((fresh) => {
          if (!fresh && !this.#tokens) this.#notify('expired');
        });
      },
      Math.max(0, answer.expiresIn * 1000 - REFRESH_AHEAD_MS),
    );
  }

  /** A fresh access token from the refresh cookie, one tab at a time; false when the session has ended. */
  async refresh(): Promise<boolean> {
    const run = async () => {
      const outcome = await attempt(() => api().POST('/v1/session/refresh'));
      if (outcome.ok && outcome.data.status === 'AUTHENTICATED') {
        this.start(outcome.data);
        return true;
      }
      if (!outcome.ok && outcome.problem.kind === 'SESSION_ENDED') this.#forget();
      return false;
    };
    return navigator.locks ? navigator.locks.request(REFRESH_LOCK, run) : run();
  }

  /** The access token, refreshed first if it is about to expire (or after a reload). */
  async accessToken(): Promise<string | undefined> {
    if (this.#tokens && this.#tokens.expiresAt - Date.now() > REFRESH_AHEAD_MS / 2) return this.#tokens.accessToken;
    return (await this.refresh()) ? this.#tokens?.accessToken : undefined;
  }

  /** A call with the access token; refreshed and tried once more if the API says it has expired. */
  async authorized<T>(
    call: (headers: { Authorization: string }) => Promise<{ data?: T; error?: unknown; response: Response }>,
  ): Promise<Outcome<T>> {
    const token = await this.accessToken();
    if (!token) return { ok: false, problem: { kind: 'SESSION_ENDED' } };
    const first = await attempt(() => call({ Authorization: `Bearer ${token}` }));
    if (first.ok || first.problem.kind !== 'SESSION_ENDED' || !(await this.refresh())) return first;
    return attempt(() => call({ Authorization: `Bearer ${this.#tokens!.accessToken}` }));
  }

  async signOut(): Promise<void> {
    await attempt(() => api().POST('/v1/session/logout'));
    this.#forget();
    this.#channel.postMessage('signed-out');
  }

  get signedIn(): boolean {
    return this.#tokens !== undefined;
  }

  /** Drops the token; tells the page when the change came from elsewhere (another tab). */
  #forget(event?: SessionEvent): void {
    const had = this.#tokens !== undefined;
    this.#tokens = undefined;
    clearTimeout(this.#timer);
    if (had && event) this.#notify(event);
  }

  #notify(event: SessionEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
