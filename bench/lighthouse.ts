/**
 * `npm run lighthouse`: Lighthouse (the npm package, 12.2.3 — the version that installs and runs
 * here) on the sign-in page of a running portal (`npm start`), in Debian's Chromium, as a phone on a
 * slow 4G network (Lighthouse's default mobile profile). It prints the four scores and keeps the
 * reports in `.local/lighthouse/` (JSON and HTML); exit code 1 when a score is below 100.
 *
 * PORTAL_URL (http://localhost:5173/connexion), CHROMIUM_PATH (/usr/bin/chromium).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import { LOCAL_DIR } from '../lambdas/runtime/local-environment.ts';

const URL_UNDER_TEST = process.env['PORTAL_URL'] ?? 'http://localhost:5173/connexion';
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;

/** A free TCP port for Chromium's DevTools endpoint, which Lighthouse drives. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const reachable = await fetch(URL_UNDER_TEST).then(
  (r) => r.ok,
  () => false,
);
if (!reachable) {
  console.error(`${URL_UNDER_TEST} does not answer: start the local stack first (npm start), or set PORTAL_URL.`);
  process.exit(2);
}
const port = await freePort();
const browser = await chromium.launch({
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: [`--remote-debugging-port=${port}`, '--no-sandbox', '--disable-dev-shm-usage'],
});
try {
  const result = await lighthouse(URL_UNDER_TEST, {
    port,
    output: ['json', 'html'],
    onlyCategories: [...CATEGORIES],
    logLevel: 'error',
  });
  if (!result) throw new Error('Lighthouse returned no result');
  const out = join(LOCAL_DIR, 'lighthouse');
  await mkdir(out, { recursive: true });
  const [json, html] = result.report as string[];
  await writeFile(join(out, 'connexion.report.json'), json!);
  await writeFile(join(out, 'connexion.report.html'), html!);
  const scores = CATEGORIES.map((c) => [c, Math.round((result.lhr.categories[c]?.score ?? 0) * 100)] as const);
  console.log(`Lighthouse ${result.lhr.lighthouseVersion} on ${URL_UNDER_TEST} (mobile, simulated slow 4G)`);
  for (const [category, score] of scores) console.log(`  ${category.padEnd(15)} ${score}`);
  const below = scores.filter(([, score]) => score < 100);
  for (const [category] of below) {
    const audits = result.lhr.categories[category]!.auditRefs.map((ref) => result.lhr.audits[ref.id]!);
    const failing = audits.filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative');
    for (const a of failing) console.log(`    ${category}: ${a.id} — ${a.title} (${a.displayValue ?? a.score})`);
  }
  console.log(`reports: ${join(out, 'connexion.report.json')} and .html`);
  process.exitCode = below.length > 0 ? 1 : 0;
} finally {
  await browser.close();
}
