/** What `npm run bench` and `npm run load` print with: percentiles and plain tables, the handlers' log lines kept out. */
export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
export const ms = (v: number) => v.toFixed(1);
/** How many runs, and their median and 99th percentile. */
export const spread = (times: number[]) => ({
  runs: times.length,
  'p50 ms': ms(percentile(times, 50)),
  'p99 ms': ms(percentile(times, 99)),
});

export function printTable(title: string, rows: Array<Record<string, string | number>>): void {
  console.log(`\n${title}`);
  const columns = Object.keys(rows[0]!);
  const width = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(width[i]!)).join('  ')}`;
  console.log(line(columns));
  console.log(line(width.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(columns.map((c) => String(row[c]))));
}

const print = console.log.bind(console);
const quiet = (line?: unknown) => {
  if (!(typeof line === 'string' && line.startsWith('{"level"'))) print(line);
};

/** The logger writes its JSON lines to stdout itself: those are dropped too, the bench's own lines kept. */
function quietStream(stream: NodeJS.WriteStream): void {
  const write = stream.write.bind(stream) as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) =>
    typeof chunk === 'string' && chunk.startsWith('{"level"') ? true : write(chunk, ...rest)) as typeof stream.write;
}

/** The handlers log one JSON line per request (console and straight to stdout): kept out of the report. */
export function quietLogs(): void {
  console.log = quiet;
  console.warn = quiet;
  console.info = quiet;
  quietStream(process.stdout);
  quietStream(process.stderr);
}
