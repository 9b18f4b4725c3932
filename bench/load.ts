/**
 * `npm run load`: the local stack under a sustained, realistic mix, then an audit of the data.
 *
 * Engines of its own (DynamoDB Local, the SES emulator), the handlers bundled as deployed behind the
 * API Gateway adapter, a few thousand imported members. autocannon sends, at a fixed rate for a fixed
 * time, cycles of: a right sign-in from the member's trusted device, /v1/me, a refresh, a wrong
 * sign-in on another member's NIR, a forgotten-code request. It prints throughput, p50/p99 per
 * route and answers by status; then it checks that every wrong attempt was counted on its NIR (no
 * lost counter update), that every audit entry is there, that no member is half-written and that
 * nothing answered 5xx. Exit code 1 when the audit fails.
 *
 * LOAD_SECONDS (60), LOAD_RATE requests/s (40), LOAD_MEMBERS (2000), LOAD_CONNECTIONS (8).
 * All requests come from one address: the per-IP and per-code throttles are raised for the run
 * (they would otherwise, rightly, stop it); the per-NIR lockout is as configured.
 */
import { randomInt } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { documentClient, ensureTable } from '../lambdas/adapters/dynamo/table.ts';
import { ensureLocalKeyFiles } from '../lambdas/adapters/keys/local-key-files.ts';
import { createApiServer } from '../lambdas/local/api-gateway-adapter.ts';
import { bundleHandlers, loadHandlers, startAccountWorker } from '../lambdas/local/bundling.ts';
import { startDynamoDbLocal, startSesLocal } from '../lambdas/local/engines.ts';
import { localEnvironment } from '../lambdas/runtime/local-environment.ts';
import { memberRow } from '../test/support/member-rows.ts';
import { percentile, printTable, quietLogs } from './report.ts';

const SECONDS = Number(process.env['LOAD_SECONDS'] ?? 60);
const RATE = Number(process.env['LOAD_RATE'] ?? 40);
const MEMBERS = Number(process.env['LOAD_MEMBERS'] ?? 2000);
const CONNECTIONS = Number(process.env['LOAD_CONNECTIONS'] ?? 8);
const ACTIVE = Math.min(100, MEMBERS / 2);
const INITIAL = '469135';
const PERSONAL = '583927';

interface Active {
  readonly nir: string;
  readonly device: string;
}

async function main(): Promise<void> {
  quietLogs();
  console.log(
    `member-portal-auth load — ${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()}, Node ${process.version}`,
  );
  console.log(`${SECONDS} s at ${RATE} requests/s over ${CONNECTIONS} connections, ${MEMBERS} members`);

  const keysDir = await mkdtemp(join(tmpdir(), 'mpa-load-keys-'));
  await ensureLocalKeyFiles(keysDir);
  const dynamo = await startDynamoDbLocal(21_000 + Math.floor(Math.random() * 1000));
  const ses = await startSesLocal(22_000 + Math.floor(Math.random() * 1000));
  // The forgotten-code requests' jobs reach the account worker, bundled, as on the local stack.
  const worker = await startAccountWorker(await mkdtemp(join(tmpdir(), 'mpa-load-worker-')));
  const env = localEnvironment({
    LAMBDA_ENDPOINT: worker.endpoint,
    TABLE_NAME: 'load',
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    SES_ENDPOINT: ses.endpoint,
    LOCAL_KEYS_DIR: keysDir,
    IP_MAX_FAILURES: '1000000',
    CODE_SPRAY_MAX_FAILURES: '1000000',
    FORGOT_IP_MAX_REQUESTS: '1000000',
  });
  Object.assign(process.env, env);
  const server = createApiServer(async (name) => handlers.get(name)!);
  let handlers: Awaited<ReturnType<typeof loadHandlers>>;
  try {
    await ensureTable(documentClient({ endpoint: dynamo.endpoint, region: env['AWS_REGION'] }), 'load');
    const services = await import('../lambdas/runtime/services.ts');
    const { importMemberRecord } = await import('../lambdas/domain/member-row.ts');
    const { nirKey, nirLookupKey, parseNir } = await import('../lambdas/domain/nir.ts');
    const { forEachBounded } = await import('../lambdas/domain/bounded-concurrency.ts');
    handlers = await loadHandlers(await bundleHandlers(await mkdtemp(join(tmpdir(), 'mpa-load-build-'))));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const terms = { version: 'load', url: 'https://portal.example/cgu', publishedAt: Date.now() };
    await services.termsStore().publish(terms);

    // Members, imported as the CLI does (argon2 for each initial code, a few at a time).
    let started = performance.now();
    const deps = {
      members: services.members(),
      nirHasher: await services.nirLookupHasher(),
      codeHasher: await services.codeHasher(),
      clock: { now: () => Date.now() },
      initialCodeValidDays: 365,
    };
    const nirs = Array.from({ length: MEMBERS }, (_, i) => {
      const body = `1860275${String(i).padStart(6, '0')}`;
      return `${body}${String(nirKey(body)).padStart(2, '0')}`;
    });
    async function* each<T>(items: readonly T[]) {
      yield* items;
    }
    await forEachBounded(each(nirs), availableParallelism() * 2, async (nir) => {
      await importMemberRecord(memberRow({ nir, email: '', initialCode: INITIAL }), deps);
    });
    console.log(`imported ${MEMBERS} members in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    // The active ones chose their code, were trusted (the statement's code), and accepted the terms.
    const post = async (path: string, body: unknown, cookie?: string) => {
      const r = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
        body: JSON.stringify(body),
      });
      return {
        json: (await r.json()) as Record<string, string>,
        device: r.headers
          .getSetCookie()
          .find((c) => c.startsWith('__Secure-mp_device='))
          ?.split(';')[0],
      };
    };
    const active: Active[] = [];
    for (const nir of nirs.slice(0, ACTIVE)) {
      const changed = await post('/v1/code/change', {
        nir,
        currentCode: INITIAL,
        newCode: PERSONAL,
        newCodeConfirmation: PERSONAL,
        rememberDevice: true,
      });
      const pending = await post('/v1/login', { nir, code: PERSONAL }, changed.device);
      await post('/v1/terms/accept', { challenge: pending.json['challenge'], version: terms.version });
      active.push({ nir, device: changed.device! });
    }
    const idle = nirs.slice(ACTIVE);

    // The run.
    const latencies = new Map<string, number[]>();
    const statuses = new Map<string, number>();
    // Totals, not per NIR: autocannon may prepare a request ahead, so a context names the last one set up.
    // Requests still in flight when the run stops are set up but never answered: the audit allows
    // for them (answered ≤ recorded ≤ set up), and nothing answered may be missing.
    let signedIn = 0;
    let refused = 0;
    const setUp = { right: 0, wrong: 0, forgot: 0 };
    let turn = 0;
    type Context = { member?: Active; token?: string; refresh?: string; t0?: number };
    const timed = (
      route: string,
      onDone?: (status: number, body: string, context: Context, headers: Record<string, string>) => void,
    ) => ({
      onResponse: (status: number, body: string, context: Context, headers: Record<string, string>) => {
        if (context.t0 !== undefined)
          latencies.set(route, [...(latencies.get(route) ?? []), performance.now() - context.t0]);
        statuses.set(`${route} ${status}`, (statuses.get(`${route} ${status}`) ?? 0) + 1);
        onDone?.(status, body, context, headers);
      },
    });
    // autocannon hands the headers as sent (their case kept).
    const cookieOf = (headers: Record<string, string | string[]>, name: string) => {
      const set = Object.entries(headers).find(([k]) => k.toLowerCase() === 'set-cookie')?.[1];
      const all = ([] as string[]).concat(set ?? []);
      return all.find((c) => c.startsWith(`${name}=`))?.split(';')[0];
    };
    const json = { 'content-type': 'application/json' };
    started = performance.now();
    const result = await autocannon({
      url: base,
      connections: CONNECTIONS,
      duration: SECONDS,
      overallRate: RATE,
      requests: [
        {
          method: 'POST',
          path: '/v1/login',
          setupRequest: (req: Record<string, unknown>, context: Context) => {
            context.member = active[turn++ % active.length]!;
            setUp.right++;
            context.t0 = performance.now();
            return {
              ...req,
              headers: { ...json, cookie: context.member.device },
              body: JSON.stringify({ nir: context.member.nir, code: PERSONAL }),
            };
          },
          ...timed('login (right)', (status, body, context, headers) => {
            if (status === 200 && JSON.parse(body).status === 'AUTHENTICATED') {
              signedIn++;
              context.token = JSON.parse(body).accessToken;
              context.refresh = cookieOf(headers, '__Secure-mp_refresh');
            }
          }),
        },
        {
          method: 'GET',
          path: '/v1/me',
          setupRequest: (req: Record<string, unknown>, context: Context) => {
            context.t0 = performance.now();
            return { ...req, headers: { authorization: `Bearer ${context.token ?? 'none'}` } };
          },
          ...timed('me'),
        },
        {
          method: 'POST',
          path: '/v1/session/refresh',
          setupRequest: (req: Record<string, unknown>, context: Context) => {
            context.t0 = performance.now();
            return { ...req, headers: context.refresh ? { cookie: context.refresh } : {} };
          },
          ...timed('refresh'),
        },
        {
          method: 'POST',
          path: '/v1/login',
          setupRequest: (req: Record<string, unknown>, context: Context) => {
            context.t0 = performance.now();
            setUp.wrong++;
            const code = String(randomInt(100_000, 1_000_000));
            return {
              ...req,
              headers: json,
              body: JSON.stringify({ nir: idle[randomInt(idle.length)], code: code === INITIAL ? '100001' : code }),
            };
          },
          ...timed('login (wrong)', (status) => {
            if (status === 401) refused++;
          }),
        },
        {
          method: 'POST',
          path: '/v1/code/forgot',
          setupRequest: (req: Record<string, unknown>, context: Context) => {
            context.t0 = performance.now();
            setUp.forgot++;
            return { ...req, headers: json, body: JSON.stringify({ nir: idle[randomInt(idle.length)] }) };
          },
          ...timed('forgot'),
        },
      ],
    } as never);
    const elapsed = (performance.now() - started) / 1000;
    const sent = (result as { requests: { total: number } }).requests.total;

    printTable('Throughput', [
      { requests: sent, seconds: elapsed.toFixed(1), 'requests/s': (sent / elapsed).toFixed(1), 'target rate': RATE },
    ]);
    printTable(
      'Latency per route',
      [...latencies].map(([route, times]) => ({
        route,
        answers: times.length,
        'p50 ms': percentile(times, 50).toFixed(1),
        'p99 ms': percentile(times, 99).toFixed(1),
      })),
    );
    printTable(
      'Answers by route and status',
      [...statuses].sort().map(([key, count]) => ({ 'route status': key, count })),
    );

    // The audit of the data.
    await worker.invocations.drain(); // the background jobs of the last forgot requests
    const problems: string[] = [];
    const fivexx = [...statuses].filter(([key]) => / 5\d\d$/.test(key));
    if (fivexx.length) problems.push(`5xx answers: ${fivexx.map(([k, n]) => `${k} ×${n}`).join(', ')}`);
    const attempts = services.attemptStore();
    const trail = services.auditTrail();
    const nirHasher = await services.nirLookupHasher();
    let counted = 0;
    let failedEntries = 0;
    let succeededEntries = 0;
    let forgotJobs = 0;
    await forEachBounded(each(nirs), 8, async (nir) => {
      const key = await nirLookupKey(nirHasher, parseNir(nir));
      const [{ counter }, entries] = await Promise.all([attempts.loadCounter(key), trail.list(key)]);
      counted += counter.recentFailures.length;
      failedEntries += entries.filter((e) => e.event === 'LOGIN_FAILED').length;
      succeededEntries += entries.filter((e) => e.event === 'LOGIN_SUCCEEDED').length;
      // Each forgotten-code job the account worker ran leaves one of these two entries.
      forgotJobs += entries.filter(
        (e) => e.event === 'FORGOT_REQUESTED' || e.event === 'FORGOT_REQUEST_IGNORED',
      ).length;
    });
    const within = (n: number, answered: number, sent: number) => answered <= n && n <= sent;
    const forgotAnswered = statuses.get('forgot 202') ?? 0;
    const jobsOk = within(forgotJobs, forgotAnswered, setUp.forgot);
    if (!jobsOk)
      problems.push(`${forgotJobs} forgotten-code jobs run for ${forgotAnswered} answered 202 (${setUp.forgot} sent)`);
    const countedOk = within(counted, refused, setUp.wrong);
    const entriesOk = within(failedEntries, refused, setUp.wrong) && within(succeededEntries, signedIn, setUp.right);
    if (!countedOk)
      problems.push(`${refused} wrong attempts answered 401 (${setUp.wrong} sent), ${counted} failures counted`);
    if (!entriesOk)
      problems.push(
        `LOGIN_FAILED ${failedEntries} for ${refused} answered (${setUp.wrong} sent); LOGIN_SUCCEEDED ${succeededEntries} for ${signedIn} answered (${setUp.right} sent)`,
      );
    let whole = 0;
    await forEachBounded(each(nirs), 8, async (nir) => {
      const member = await services.members().get(await nirLookupKey(nirHasher, parseNir(nir)));
      const complete =
        member !== undefined &&
        typeof member.memberId === 'string' &&
        typeof member.codeSalt === 'string' &&
        typeof member.codeVersion === 'number' &&
        (member.personalCodeHash !== undefined || member.initialCodeHash !== undefined);
      if (complete) whole++;
      else problems.push('a member is missing or half-written');
    });
    printTable('Data audit', [
      { check: 'no 5xx', result: fivexx.length ? 'FAILED' : 'ok' },
      {
        check: `every wrong attempt counted on its NIR (${refused} answered 401, ${counted} counted, ${setUp.wrong} sent)`,
        result: countedOk ? 'ok' : 'FAILED',
      },
      {
        check: `every audit entry present (${failedEntries} LOGIN_FAILED, ${succeededEntries} LOGIN_SUCCEEDED)`,
        result: entriesOk ? 'ok' : 'FAILED',
      },
      {
        check: `every forgotten-code job run by the account worker (${forgotJobs} for ${forgotAnswered} answered 202, ${setUp.forgot} sent)`,
        result: jobsOk ? 'ok' : 'FAILED',
      },
      { check: `members whole (${whole} of ${MEMBERS})`, result: whole === MEMBERS ? 'ok' : 'FAILED' },
    ]);
    for (const p of problems.slice(0, 20)) console.log(`  ${p}`);
    process.exitCode = problems.length ? 1 : 0;
  } finally {
    server.close();
    await worker.invocations.close();
    await dynamo.stop();
    await ses.stop();
  }
}

await main();
