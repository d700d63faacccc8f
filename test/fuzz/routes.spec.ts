/**
 * Property-based fuzzing of every route of the OpenAPI document as every role (anonymous,
 * student, coordinator, host_school, host_family, admin), with fast-check: bodies made from
 * the route's schema and then mutated, hostile path and query parameters, odd headers and
 * credentials (requests.ts). For every request:
 *
 * - an answer comes, and it is never a 5xx;
 * - an error is application/problem+json with type, title, status, detail and code, and
 *   nothing internal (stack trace, SQL, driver error, password hash) — checks.ts;
 * - a request that carries a defect (every one that is not a GET does, but for some of
 *   the harmless edits and creations, requests.ts) is refused;
 * - a refused request changes no row: the checksum of every application table is the
 *   same before and after it (CHECKSUMS and MAY_CHANGE below say which tables are left out,
 *   and why).
 *
 * Reproducible: the run's seed is printed at the start (FUZZ_SEED), and a failure prints
 * the seed, fast-check's path and the shrunk request, so that
 * `FUZZ_SEED=<seed> FUZZ_PATH=<path> npm run test:fuzz` replays it (profile.ts).
 */
import fc from 'fast-check';
import { MailWorker } from '../../src/notifications/mail-worker.js';
import { startTestApp } from '../harness/app.js';
import { changedTables, openChecksums, type ChecksumOptions, type Checksums, type TableChecksums } from '../harness/checksums.js';
import { issuesOf } from './checks.js';
import { routeName, routesOf, type Route } from './openapi.js';
import { ONLY, PATH, PROFILE, SEED, seedOf } from './profile.js';
import { requestArbitrary, type FuzzRequest } from './requests.js';
import { send, urlOf, type Answer } from './send.js';
import { buildWorld, ROLES, type World } from './world.js';

/**
 * The checksums of every application table, read through the superuser's connection to the
 * test file's database: a refused request must leave every one of them as it was.
 *
 * Left out, on purpose:
 * - the `audit` schema (`audit_log`, `audit_chain`): the audit log records refused requests
 *   (403/404 on an object, failed sign-ins) by design (SPEC section 3,
 *   src/common/access/refusals.ts);
 * - `rate_limit_buckets`, on the routes that count attempts (sign-in, registration,
 *   choosing a password; MAY_CHANGE): throttling counts every attempt, refused ones above
 *   all (src/auth/auth.service.ts). Everywhere else a change to it is a defect like any other.
 * The mail worker and the periodic jobs, which change `mail_jobs`, `scheduled_runs` and
 * `reminders_sent` on their own clock, are kept still by the test's settings instead, so
 * that those tables stay in the comparison.
 */
const CHECKSUMS: ChecksumOptions = { exclude: ['audit.audit_log', 'audit.audit_chain'] };

/** Tables a refused request to that route may change, and why. */
const MAY_CHANGE: Record<string, { tables: string[]; why: string }> = {
  'POST /api/v1/auth/login': { tables: ['public.rate_limit_buckets'], why: 'sign-in attempts are counted whatever their outcome' },
  'POST /api/v1/auth/register': { tables: ['public.rate_limit_buckets'], why: 'registrations are counted per client address' },
  'POST /api/v1/auth/set-password': { tables: ['public.rate_limit_buckets'], why: 'attempts at an invitation code are counted per client address' },
};

/** A request that broke a property, with its answer. */
class Broken extends Error {
  constructor(
    readonly issues: string[],
    readonly request: FuzzRequest,
    readonly answer: Answer,
    readonly url: string,
  ) {
    super(issues.join('; '));
  }
}

/** JSON with long strings cut, for reading a request or an answer in a report. */
function shown(value: unknown, max = 200): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' && v.length > max ? `${v.slice(0, max)}…[${v.length} characters]` : v), 2);
}

function report(name: string, details: fc.RunDetails<[FuzzRequest]>): string {
  const seed = seedOf(name);
  const lines = [`${name}: ${details.numRuns} run(s), ${details.numShrinks} shrink(s)`];
  const error = details.errorInstance;
  if (error instanceof Broken) {
    lines.push(`  broken: ${error.issues.join('\n          ')}`);
    lines.push(`  answer: ${error.answer.status} ${error.answer.headers.get('content-type') ?? ''} ${error.answer.text.slice(0, 600)}`);
    lines.push(`  url: ${error.url.slice(0, 600)}`);
  } else {
    lines.push(`  error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  lines.push(`  request (shrunk): ${shown(details.counterexample?.[0]).split('\n').join('\n  ')}`);
  lines.push(`  reproduce: FUZZ_SEED=${SEED} FUZZ_PATH=${details.counterexamplePath} npm run test:fuzz`);
  lines.push(`             (add FUZZ_ONLY='${name}' to replay only this property; its own seed is ${seed})`);
  return lines.join('\n');
}

// The routes come from the OpenAPI document of the running application, so the app starts
// before the tests are declared (top-level await; the world is built in beforeAll).
const t = await startTestApp({
  LOGIN_MAX_PER_IP: '100000',
  LOGIN_MAX_PER_EMAIL: '10000',
  // Nothing runs on its own clock: no mail sent, no reminders, no retention run, so that
  // the tables change only by requests.
  MAIL_POLL_MS: '600000',
  REMINDER_INTERVAL_SECONDS: '0',
  RETENTION_INTERVAL_SECONDS: '0',
});
await t.app.get(MailWorker).beforeApplicationShutdown();
const documentAnswer = await t.api.get('/api/docs-json');
if (documentAnswer.status !== 200) throw new Error(`no OpenAPI document: ${documentAnswer.status}`);
const routes: Route[] = routesOf(documentAnswer.body);

describe(`fuzzing every route as every role (profile ${PROFILE.name}, FUZZ_SEED=${SEED})`, () => {
  let world: World;
  let checksums: TableChecksums;
  /** the checksums as they are now, when known (null after a successful request) */
  let current: Checksums | null = null;
  const statuses = new Map<string, number>();
  /** with FUZZ_PATH: the properties that replayed it, and those it did not fit */
  const replays = { replayed: 0, skipped: 0 };
  /** answers by status and problem code, for the summary */
  const codes = new Map<string, number>();
  const started = Date.now();

  beforeAll(async () => {
    console.log(`fuzz: profile ${PROFILE.name}, ${PROFILE.numRuns} request(s) per route and role, seed ${SEED} (FUZZ_SEED=${SEED} npm run test:fuzz runs it again)`);
    world = await buildWorld(t);
    checksums = await openChecksums(t.settings.databaseUrl!, CHECKSUMS);
  }, 120_000);

  afterAll(async () => {
    await checksums?.close();
    await t.close();
    const counts = [...statuses.entries()].sort().map(([status, n]) => `${status}: ${n}`);
    if (PATH) console.log(`fuzz: FUZZ_PATH=${PATH} replayed by ${replays.replayed} properties, not fitting ${replays.skipped} others`);
    const answers = [...codes.entries()].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code}: ${n}`);
    console.log(`fuzz: ${[...statuses.values()].reduce((a, b) => a + b, 0)} requests in ${Math.round((Date.now() - started) / 1000)} s (${counts.join(', ')}), seed ${SEED}\nanswers: ${answers.join(', ')}`);
  });

  /** Sends one request and checks every property of its answer. */
  async function probe(route: Route, request: FuzzRequest): Promise<void> {
    const before = current ?? (await checksums.take());
    const answer = await send(request, world, PROFILE.requestTimeoutMs);
    const status = answer.status ? `${Math.floor(answer.status / 100)}xx` : 'none';
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    const code = `${answer.status} ${(answer.body as { code?: string } | null)?.code ?? ''}`.trim();
    codes.set(code, (codes.get(code) ?? 0) + 1);
    const issues = issuesOf(request, answer);
    if (answer.status >= 200 && answer.status < 300) current = null;
    else {
      const after = await checksums.take();
      const changed = changedTables(before, after, MAY_CHANGE[routeName(route)]?.tables);
      if (changed.length) issues.push(`refused (${answer.status || answer.error}) yet changed ${changed.join(', ')}`);
      current = after;
    }
    if (issues.length) throw new Broken(issues, request, answer, urlOf(request, world));
  }

  it('finds the routes in the OpenAPI document', () => {
    expect(routes.length).toBeGreaterThan(50);
    expect(routes.map(routeName)).toEqual(expect.arrayContaining(['POST /api/v1/applications/{id}/submit', 'POST /api/v1/applications/{id}/documents', 'GET /api/v1/me']));
  });

  for (const route of routes) {
    it(
      routeName(route),
      async () => {
        const failures: string[] = [];
        for (const role of ROLES) {
          const name = `${routeName(route)} as ${role}`;
          if (ONLY && !name.includes(ONLY)) continue;
          // A replay (FUZZ_PATH) sends the one request at the path of each property's seed,
          // and goes on shrinking it only if it fails again: fast-check would otherwise go
          // on through the rest of the shrinking stream of a request that passes. A path
          // leads nowhere in a property whose values shrink otherwise: it is skipped.
          const replay = { first: true, failed: false };
          const property = fc.asyncProperty(requestArbitrary(route, role), async (request) => {
            if (PATH && !replay.first && !replay.failed) return;
            replay.first = false;
            try {
              await probe(route, request);
            } catch (error) {
              replay.failed = true;
              throw error;
            }
          });
          let details: fc.RunDetails<[FuzzRequest]>;
          try {
            details = await fc.check(property, { seed: seedOf(name), numRuns: PROFILE.numRuns, ...(PATH ? { path: PATH } : {}) });
          } catch (error) {
            if (!PATH || !/Unable to replay/.test(String(error))) throw error;
            replays.skipped++;
            continue;
          }
          if (PATH) replays.replayed++;
          if (details.failed) {
            const text = report(name, details);
            console.log(text);
            failures.push(text);
          }
        }
        if (failures.length) throw new Error(failures.join('\n\n'));
      },
      PROFILE.testTimeoutMs,
    );
  }
});
