/**
 * Everything the CLI prints goes through here: results on stdout (a table for people, one JSON
 * document with `--json`), progress and warnings on stderr — so `npm run -s ops -- … --json` pipes cleanly.
 */
export const iso = (at: number | undefined): string =>
  at === undefined ? '—' : new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

export const progress = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** Label–value pairs, aligned. */
export function table(rows: ReadonlyArray<readonly [string, string]>): void {
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  for (const [label, value] of rows) say(`${label.padEnd(width)}${value}`);
}

/** One JSON document, whatever the command: what scripts read. */
function json(document: unknown): void {
  say(JSON.stringify(document, null, 2));
}

/** Either form of one result. */
export function result(asJson: boolean | undefined, document: unknown, forPeople: () => void): void {
  if (asJson) json(document);
  else forPeople();
}
