import { hasAccessEnded } from './access-end.ts';
import { weakCodeReason } from './code-blocklist.ts';
import type { SixDigitCode } from './code-format.ts';
import type { CodeHasher } from './code-hashing.ts';
import type { Member, MemberRepository } from './member.ts';
import type { Clock, KeyedHasher, SecurityEvents } from './ports.ts';
import { newId } from './random-secrets.ts';

export const LETTER_STATES = ['PENDING', 'EXPORTING', 'EXPORTED', 'CANCELLED'] as const;
type LetterState = (typeof LETTER_STATES)[number];

export interface LetterRequest {
  readonly letterId: string;
  readonly memberKey: string;
  readonly memberId: string;
  readonly requestedAt: number;
  readonly requestedBy: 'MEMBER' | 'CUSTOMER_SERVICE';
  readonly requestId: string;
  readonly state: LetterState;
  /** The export run that claimed it, while EXPORTING and after, and when. */
  readonly runId?: string | undefined;
  readonly claimedAt?: number | undefined;
  readonly fileName?: string | undefined;
  readonly exportedAt?: number | undefined;
}

export interface LetterStore {
  /**
   * Queues a letter and marks it outstanding on the member, both or neither: refused when one is
   * already outstanding, or (for `notIfExportedSince`) when a letter left since then.
   */
  queue(letter: LetterRequest, rules: { readonly notIfExportedSince?: number }): Promise<boolean>;
  list(state: 'PENDING' | 'EXPORTING'): Promise<LetterRequest[]>;
  get(letterId: string): Promise<LetterRequest | undefined>;
  /** PENDING → EXPORTING for `runId`, or an EXPORTING letter of a run that left no file → `runId`. */
  claim(letter: LetterRequest, runId: string, claimedAt: number): Promise<boolean>;
  /** Gives the member the letter's temporary code and marks the letter EXPORTED, both or neither. */
  commit(letter: LetterRequest, export_: LetterExportRecord): Promise<boolean>;
  /** The member was deactivated since: no letter. */
  cancel(letter: LetterRequest, now: number): Promise<void>;
}

export interface LetterExportRecord {
  readonly temporaryCodeHash: string;
  readonly validUntil: number;
  readonly exportedAt: number;
  readonly fileName: string;
}

/** Where export files go: a local folder, or the letters bucket. Writes are all-or-nothing. */
export interface LetterFiles {
  exists(name: string): Promise<boolean>;
  write(name: string, content: string): Promise<string>;
}

const TEMPORARY_CODE_VALID_DAYS = 21;
/** A member's own request gets no new letter within this time of the last one sent. */
export const LETTER_COOLDOWN_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

const EXPORT_COLUMNS = [
  'letterId',
  'lastName',
  'firstName',
  'addressLine1',
  'addressLine2',
  'postalCode',
  'city',
  'country',
  'temporaryCode',
  'requestedAt',
  'validUntil',
] as const;

/** Letter ids start with a letter, so that no id begins with a character a spreadsheet reads as a formula. */
const newLetterId = () => `L${newId()}`;

export interface LetterQueueDependencies {
  readonly letters: LetterStore;
  readonly clock: Clock;
  readonly events: SecurityEvents;
}

/** Postal letters with a new code: at most one outstanding per member. */
export class LetterQueue {
  readonly #deps: LetterQueueDependencies;

  constructor(dependencies: LetterQueueDependencies) {
    this.#deps = dependencies;
  }

  /**
   * A member's own request (seed: "je recevrai un courrier sous 48 heures") is refused silently
   * when a letter left in the last 7 days; customer service may send one any time.
   */
  async request(
    member: Member,
    by: LetterRequest['requestedBy'],
    requestId: string,
  ): Promise<'QUEUED' | 'ALREADY_PENDING' | 'RECENTLY_SENT' | 'DEACTIVATED'> {
    // CGU 3.5 / 3.6: access has ended, and no letter brings it back.
    const now = this.#deps.clock.now();
    if (hasAccessEnded(member, now)) return 'DEACTIVATED';
    const cooldownSince = now - LETTER_COOLDOWN_DAYS * DAY_MS;
    if (member.letterOutstandingId) return 'ALREADY_PENDING';
    if (by === 'MEMBER' && (member.lastLetterExportedAt ?? 0) > cooldownSince) {
      await this.#deps.events.record('LETTER_REFUSED_RECENT', {
        requestId,
        memberKey: member.key,
        memberId: member.memberId,
      });
      return 'RECENTLY_SENT';
    }
    const queued = await this.#deps.letters.queue(
      {
        letterId: newLetterId(),
        memberKey: member.key,
        memberId: member.memberId,
        requestedAt: now,
        requestedBy: by,
        requestId,
        state: 'PENDING',
      },
      by === 'MEMBER' ? { notIfExportedSince: cooldownSince } : {},
    );
    if (queued)
      await this.#deps.events.record('LETTER_QUEUED', {
        requestId,
        memberKey: member.key,
        memberId: member.memberId,
        by,
      });
    return queued ? 'QUEUED' : 'ALREADY_PENDING';
  }
}

export interface LetterExportDependencies {
  readonly letters: LetterStore;
  readonly files: LetterFiles;
  readonly members: MemberRepository;
  readonly codeHasher: CodeHasher;
  /**
   * Derives each letter's temporary code from its id (see `temporaryCodeFor`): a key of its own,
   * held by the letter export alone — not the pepper, which every sign-in function holds.
   */
  readonly codeDeriver: KeyedHasher;
  readonly clock: Clock;
  readonly events: SecurityEvents;
}

export interface ExportReport {
  /** Files written or completed by this run, with how many letters each. */
  readonly files: ReadonlyArray<{ readonly location: string; readonly letters: number }>;
  readonly exported: number;
  readonly cancelled: number;
}

/**
 * The print provider opens the file in a spreadsheet: a field starting with = + - @ (or tab, CR)
 * would be read as a formula, so it gets a leading apostrophe (import already refuses such names
 * and addresses; this is the second line). The provider imports every column as text, so the
 * temporary code keeps its leading zeros.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
const csvLine = (fields: readonly string[]) => `${fields.map(csvField).join(',')}\r\n`;

/**
 * The letter's temporary code, derived from its id with a key held outside the database rather
 * than drawn and stored: the plain code then exists only in the export file, and an export that
 * was interrupted and is run again writes the very same code (see `LetterExport`).
 */
export async function temporaryCodeFor(deriver: KeyedHasher, letterId: string): Promise<SixDigitCode> {
  for (let round = 0; ; round++) {
    const mac = await deriver.digest(`letter-code:${letterId}:${round}`);
    const code = String(mac.readUInt32BE(0) % 1_000_000).padStart(6, '0') as SixDigitCode;
    if (!weakCodeReason(code)) return code;
  }
}

interface Prepared {
  readonly member: Member;
  readonly code: SixDigitCode;
}

type MutableReport = { files: Array<{ location: string; letters: number }>; exported: number; cancelled: number };

function addRun(report: MutableReport, location: string, done: { exported: number; cancelled: number }): void {
  report.exported += done.exported;
  report.cancelled += done.cancelled;
  report.files.push({ location, letters: done.exported });
}

const fileNameOf = (runId: string) => `letters-${runId}.csv`;
const validUntilOf = (claimedAt: number) => claimedAt + TEMPORARY_CODE_VALID_DAYS * DAY_MS;

/**
 * The letter batch. Each letter moves PENDING → EXPORTING (claimed by a run) → EXPORTED. The file
 * of a run is written whole and only then do its letters' codes start to work, so:
 *  - a crash before the file exists leaves claimed letters that the next run claims again;
 *  - a crash after it leaves letters that the next run completes from that same file;
 * hence no letter is lost or sent twice, and every code that works is in a file. Re-run with the
 * same destination.
 */
export class LetterExport {
  readonly #deps: LetterExportDependencies;

  constructor(dependencies: LetterExportDependencies) {
    this.#deps = dependencies;
  }

  /** Hours the oldest pending request has waited (0 when none): letters must leave within 48 h. */
  async oldestPendingAgeHours(): Promise<number> {
    const now = this.#deps.clock.now();
    const pending = (
      await Promise.all([this.#deps.letters.list('PENDING'), this.#deps.letters.list('EXPORTING')])
    ).flat();
    const oldest = Math.min(now, ...pending.map((l) => l.requestedAt));
    return (now - oldest) / 3_600_000;
  }

  async run(): Promise<ExportReport> {
    const { letters, files, clock } = this.#deps;
    const now = clock.now();
    const runId = `${new Date(now)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')}-${newId().slice(0, 6)}`;
    const report: MutableReport = { files: [], exported: 0, cancelled: 0 };

    // Letters of interrupted runs: completed if their run's file exists, claimed again otherwise.
    const interrupted = await letters.list('EXPORTING');
    const byRun = new Map<string, LetterRequest[]>();
    for (const letter of interrupted) byRun.set(letter.runId!, [...(byRun.get(letter.runId!) ?? []), letter]);
    const reclaim: LetterRequest[] = [];
    for (const [oldRun, runLetters] of byRun) {
      if (await files.exists(fileNameOf(oldRun))) {
        addRun(report, fileNameOf(oldRun), await this.#commitAll(runLetters, fileNameOf(oldRun), now, new Map()));
      } else reclaim.push(...runLetters);
    }

    const claimed: LetterRequest[] = [];
    for (const letter of [...reclaim, ...(await letters.list('PENDING'))]) {
      if (await letters.claim(letter, runId, now))
        claimed.push({ ...letter, state: 'EXPORTING', runId, claimedAt: now });
    }
    if (claimed.length === 0) return report;

    const rows: string[] = [csvLine(EXPORT_COLUMNS)];
    const writable: LetterRequest[] = [];
    // Read and derived once here, reused when the letters are committed.
    const prepared = new Map<string, Prepared>();
    const validUntil = validUntilOf(now);
    for (const letter of claimed) {
      const member = await this.#deps.members.get(letter.memberKey);
      if (!member?.address || hasAccessEnded(member, now)) {
        await letters.cancel(letter, now);
        report.cancelled++;
        continue;
      }
      const a = member.address;
      const code = await temporaryCodeFor(this.#deps.codeDeriver, letter.letterId);
      rows.push(
        csvLine([
          letter.letterId,
          member.lastName,
          member.firstName,
          a.line1,
          a.line2 ?? '',
          a.postalCode,
          a.city,
          a.country,
          code,
          new Date(letter.requestedAt).toISOString(),
          new Date(validUntil).toISOString(),
        ]),
      );
      writable.push(letter);
      prepared.set(letter.letterId, { member, code });
    }
    if (writable.length === 0) return report;
    const location = await files.write(fileNameOf(runId), rows.join(''));
    addRun(report, location, await this.#commitAll(writable, fileNameOf(runId), now, prepared));
    return report;
  }

  /** Letters whose file exists: their codes start to work. `prepared` spares reading again what the run just read. */
  async #commitAll(
    runLetters: LetterRequest[],
    fileName: string,
    now: number,
    prepared: ReadonlyMap<string, Prepared>,
  ): Promise<{ exported: number; cancelled: number }> {
    let exported = 0;
    let cancelled = 0;
    for (const letter of runLetters) {
      // As printed in the run's file.
      const validUntil = validUntilOf(letter.claimedAt ?? now);
      const member = prepared.get(letter.letterId)?.member ?? (await this.#deps.members.get(letter.memberKey));
      if (!member) {
        await this.#deps.letters.cancel(letter, now);
        cancelled++;
        continue;
      }
      const code =
        prepared.get(letter.letterId)?.code ?? (await temporaryCodeFor(this.#deps.codeDeriver, letter.letterId));
      const temporaryCodeHash = await this.#deps.codeHasher.hashCode(code, member.codeSalt);
      if (await this.#deps.letters.commit(letter, { temporaryCodeHash, validUntil, exportedAt: now, fileName })) {
        exported++;
        await this.#deps.events.record('LETTER_EXPORTED', {
          requestId: letter.requestId,
          memberKey: letter.memberKey,
          memberId: letter.memberId,
        });
      }
    }
    return { exported, cancelled };
  }
}
