/**
 * The membership feed's end dates (operations.md, "membership at scale"): access ends at 00:00
 * Europe/Paris on a member's `endDate`, or on their client company's — checked at every sign-in and
 * every use of a session, so that nothing waits for the scheduled deactivation that records it.
 */
const END_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` as a real calendar day, or undefined. */
export function parseEndDate(text: string): string | undefined {
  const match = END_DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    ? text
    : undefined;
}

const PARIS_OFFSET = /* @__PURE__ */ new Intl.DateTimeFormat('en-US', {
  timeZone: 'Europe/Paris',
  timeZoneName: 'longOffset',
});

/** Paris's offset from UTC at `at`, in minutes (+60 in winter, +120 in summer). */
function parisOffsetMinutes(at: number): number {
  const name = PARIS_OFFSET.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
}

/** 00:00 Europe/Paris on `day` (`YYYY-MM-DD`), as epoch milliseconds. Midnight is never in a DST gap there. */
export function parisMidnight(day: string): number {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(year, month - 1, date);
  return utcMidnight - parisOffsetMinutes(utcMidnight) * 60_000;
}

/** The day (`YYYY-MM-DD`) it is in Paris at `at`. */
export function parisDay(at: number): string {
  return new Date(at + parisOffsetMinutes(at) * 60_000).toISOString().slice(0, 10);
}

/** Whether access has ended: deactivated, or past the member's or their client company's end. */
export function hasAccessEnded(
  member: {
    readonly deactivatedAt?: number | undefined;
    readonly accessEndsAt?: number | undefined;
    readonly clientAccessEndsAt?: number | undefined;
  },
  now: number,
): boolean {
  return (
    member.deactivatedAt !== undefined ||
    (member.accessEndsAt !== undefined && member.accessEndsAt <= now) ||
    (member.clientAccessEndsAt !== undefined && member.clientAccessEndsAt <= now)
  );
}

/** What ends on a day: a member (by key) or a client company (by id). */
export interface EndTarget {
  readonly kind: 'MEMBER' | 'CLIENT';
  readonly id: string;
}

/**
 * The days on which access ends, for the scheduled run that records each end (the sign-in check
 * needs no schedule: it compares dates). An entry that no longer matches its target's date (moved or
 * cleared by a later file) is dropped by the run.
 */
export interface AccessEndSchedule {
  /** Remembers that `target` ends on `day` (idempotent). */
  schedule(day: string, target: EndTarget): Promise<void>;
  /** The targets scheduled on `day`. */
  due(day: string): AsyncIterable<EndTarget>;
  done(day: string, target: EndTarget): Promise<void>;
}
