/**
 * `npm run bench [-- --scale 0.01]`: the API against a bare node:http + pg baseline on
 * generated data (a million applications at scale 1).
 *
 * 1. data: the cluster of this scale, generated (bench/generate.ts) or taken from the cache;
 * 2. the API (`node dist/src/main.js`, production settings) and the baseline
 *    (bench/baseline/server.ts), each in its own process, on that cluster;
 * 3. capture: each read once more with PostgreSQL logging every statement; the API's
 *    statements must be the baseline's (bench/baseline/queries.ts) and both answers the
 *    same items, else the scenario is marked and the run fails at the end;
 * 4. reads: autocannon (a third process) against the API and the baseline, in pairs (A B,
 *    B A, A B…), the ratio taken pair by pair; a pair during which other programs kept the machine busy
 *    is run again;
 * 5. the accept/waitlist stream and the sign-in, against the API alone; what the stream
 *    changed is put back afterwards so that the cached data stays as generated;
 * 6. from scale 0.5 on, the lists against an API on the data of scale 0.01 (10,000
 *    applications) and the API on the run's data, in alternating pairs: the cost of size;
 * 7. a cold `npm start` on a fresh data folder;
 * 8. bench/results/latest.json and latest.md (and a copy under results/history/).
 *
 * Options: --scale (1), --seconds per run (10 from scale 0.5, else 2), --pairs (3),
 * --connections (32), --only key,key, --fresh (generate again), --busy cores (0.35: other
 * programs' load that makes a pair be run again), --no-cold, --no-small (skip step 6), --before results.json (a
 * before/after table against an earlier run), --capture-only (steps 1–3 and the report:
 * to check bench/baseline/queries.ts after a change of the API's SQL), --explain (the plan
 * of each captured read statement, EXPLAIN (ANALYZE, BUFFERS) with its captured values).
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { dataSourceOptions } from '../src/database/data-source.js';
import type { Fixtures } from './generate.js';
import { compareStatements, normalize, parameterValues, StatementLog, type Statement } from './lib/capture.js';
import { openCluster, type BenchCluster } from './lib/cluster.js';
import { markDirty, prepareDataset } from './lib/dataset.js';
import { closeLoader, foreignLoad, measure, type LoadRequest, type Measured } from './lib/load.js';
import { writeResults, type Results, type ReadResult, type CaptureResult, type PairResult, type ApiOnlyResult, type SizesResult } from './lib/report.js';
import { answerHeadersOf, coldStart, startApi, startBaseline, type Server } from './lib/servers.js';
import { accessToken, loginSequence, readScenarios, transitionSequence, type ReadScenario } from './scenarios.js';

const { values: options } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    seconds: { type: 'string' },
    pairs: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    only: { type: 'string' },
    fresh: { type: 'boolean', default: false },
    busy: { type: 'string', default: '0.35' },
    'no-cold': { type: 'boolean', default: false },
    'no-small': { type: 'boolean', default: false },
    before: { type: 'string' },
    'capture-only': { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
  },
});

const scale = Number(options.scale);
if (!(scale > 0 && scale <= 10)) throw new Error(`--scale must be a number above 0 and at most 10 (got ${options.scale})`);
const quick = scale < 0.5;
const seconds = Number(options.seconds ?? (quick ? 2 : 10));
const warmupSeconds = quick ? 1 : 2;
const pairs = Number(options.pairs);
const connections = Number(options.connections);
const busy = Number(options.busy);
/** Repeats of a pair run while the machine was busy, then it is kept and marked. */
const maxRepeats = quick ? 1 : 2;
const only = options.only ? new Set(options.only.split(',')) : null;
const wanted = (key: string) => !only || only.has(key);

const started = Date.now();
const log = (line: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}`);

async function call(server: Server, path: string, init: { token?: string | null; method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: unknown; headerNames: string[] }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const response = await fetch(server.base + path, { method: init.method ?? 'GET', headers, body: init.body });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, body, headerNames: [...response.headers.keys()].sort() };
}

/** The deep page's cursor, walked through the API page after page (its format is the API's business). */
async function deepCursor(api: Server, token: string, pages: number): Promise<{ cursor: string; page: number }> {
  let cursor: string | null = null;
  let page = 1;
  for (; page < pages; page++) {
    const answer = await call(api, `/api/v1/applications?direction=incoming${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    const next = (answer.body as { nextCursor?: string | null }).nextCursor ?? null;
    if (answer.status !== 200) throw new Error(`incoming applications page ${page}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
    if (!next) break;
    cursor = next;
  }
  if (!cursor) throw new Error('the incoming list has a single page: no cursor to measure');
  return { cursor, page };
}

function sameStatements(a: Statement[], b: Statement[]): boolean {
  return a.length === b.length && a.every((s, i) => normalize(s.text) === normalize(b[i].text) && s.protocol === b[i].protocol);
}

/** The API's statements for one request, once they are the same two requests in a row (a cache warmed, a background job's statement out of the way). */
async function captureApi<R extends { status: number; body: unknown }>(capture: StatementLog, run: () => Promise<R>): Promise<{ result: R; statements: Statement[]; stable: boolean }> {
  let previous = await capture.around('exchange-api', run);
  for (let attempt = 0; attempt < 5; attempt++) {
    const next = await capture.around('exchange-api', run);
    if (sameStatements(previous.statements, next.statements)) return { ...next, stable: true };
    previous = next;
  }
  return { ...previous, stable: false };
}

async function captureRead(capture: StatementLog, scenario: ReadScenario, api: Server, baseline: Server): Promise<CaptureResult> {
  const request = (server: Server) => () => call(server, scenario.path, { token: scenario.token });
  for (let i = 0; i < 2; i++) {
    await request(api)();
    await request(baseline)();
  }
  const fromApi = await captureApi(capture, request(api));
  const fromBaseline = await capture.around('exchange-baseline', request(baseline));
  const problems = compareStatements(fromApi.statements, fromBaseline.statements);
  if (!fromApi.stable) problems.push('the API did not send the same statements twice in a row');
  if (fromApi.result.status !== 200) problems.push(`the API answered ${fromApi.result.status}: ${JSON.stringify(fromApi.result.body).slice(0, 300)}`);
  if (fromBaseline.result.status !== 200) problems.push(`the baseline answered ${fromBaseline.result.status}: ${JSON.stringify(fromBaseline.result.body).slice(0, 300)}`);
  const apiHeaders = fromApi.result.headerNames.join(', ');
  const baselineHeaders = fromBaseline.result.headerNames.join(', ');
  if (apiHeaders !== baselineHeaders) problems.push(`the answers' headers differ: API ${apiHeaders}; baseline ${baselineHeaders}`);
  const apiIds = fromApi.result.status === 200 ? scenario.ids(fromApi.result.body) : [];
  const baselineIds = fromBaseline.result.status === 200 ? scenario.ids(fromBaseline.result.body) : [];
  const idsMatch = apiIds.length === baselineIds.length && apiIds.every((id, i) => id === baselineIds[i]);
  if (!idsMatch) problems.push(`the answers' items differ: API [${apiIds.slice(0, 5).join(', ')}${apiIds.length > 5 ? ', …' : ''}] (${apiIds.length}), baseline [${baselineIds.slice(0, 5).join(', ')}${baselineIds.length > 5 ? ', …' : ''}] (${baselineIds.length})`);
  const parametersDiffer = fromApi.statements.some((s, i) => fromBaseline.statements[i] && s.parameters !== fromBaseline.statements[i].parameters);
  return {
    key: scenario.key,
    title: scenario.title,
    path: scenario.path,
    api: fromApi.statements,
    baseline: fromBaseline.statements,
    sqlMatches: compareStatements(fromApi.statements, fromBaseline.statements).length === 0,
    idsMatch,
    items: apiIds.length,
    parametersDiffer,
    problems,
  };
}

/**
 * Time the bench may spend, in all, waiting for a quiet machine and running busy pairs
 * again; once spent it goes on (and marks the busy pairs), so that a shared machine makes
 * a run noisier, not endless.
 */
let slackMs = (quick ? 40 : 300) * 1000;
/** This scenario's share of what is left of slackMs (the first busy scenario must not spend the others'). */
let phaseSlackMs = 0;

function beginPhase(phasesLeft: number): void {
  phaseSlackMs = slackMs / Math.max(1, phasesLeft);
}

function spend(ms: number): void {
  slackMs -= ms;
  phaseSlackMs -= ms;
}

async function waitQuiet(ours: number[]): Promise<number> {
  const sample = quick ? 500 : 1000;
  let load = await foreignLoad(sample, ours);
  const until = Date.now() + (quick ? 5000 : 30_000);
  while (load > busy && phaseSlackMs > 0 && Date.now() < until) {
    log(`  the machine is busy with other work (${load.toFixed(2)} cores): waiting`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    spend(1000 + sample);
    load = await foreignLoad(sample, ours);
  }
  return load;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The load of one read scenario against one server. */
function loadOf(server: Server, scenario: ReadScenario, secondsOf: number): LoadRequest {
  return { url: server.base + scenario.path, connections, seconds: secondsOf, headers: scenario.token ? { authorization: `Bearer ${scenario.token}` } : {} };
}

/**
 * Pair number `pair` of two measurements, A then B for odd pairs, B then A for even ones (a
 * machine that speeds up or slows down during a scenario favours neither); answers [A, B].
 */
async function inAlternatingOrder<T>(pair: number, a: () => Promise<T>, b: () => Promise<T>): Promise<[T, T]> {
  if (pair % 2 === 1) {
    const first = await a();
    return [first, await b()];
  }
  const first = await b();
  return [await a(), first];
}

async function measureRead(scenario: ReadScenario, api: Server, baseline: Server, cluster: BenchCluster): Promise<ReadResult> {
  const request = (server: Server, secondsOf: number) => loadOf(server, scenario, secondsOf);
  // Warm-up: the JIT, the pools' connections, PostgreSQL's caches.
  await measure(request(api, warmupSeconds), api, cluster.postmasterPid);
  await measure(request(baseline, warmupSeconds), baseline, cluster.postmasterPid);
  const results: PairResult[] = [];
  for (let pair = 1; pair <= pairs; pair++) {
    let repeats = 0;
    for (;;) {
      const before = await waitQuiet([api.pid, baseline.pid, cluster.postmasterPid]);
      const [a, b] = await inAlternatingOrder(
        pair,
        () => measure(request(api, seconds), api, cluster.postmasterPid),
        () => measure(request(baseline, seconds), baseline, cluster.postmasterPid),
      );
      const foreign = Math.max(a.foreignCores, b.foreignCores);
      const ratio = a.rps / Math.max(b.rps, 1e-9);
      log(`  ${scenario.key} pair ${pair}: API ${a.rps.toFixed(0)} req/s (p99 ${a.latency.p99} ms), baseline ${b.rps.toFixed(0)} req/s (p99 ${b.latency.p99} ms), ratio ${ratio.toFixed(2)}; others' load ${before.toFixed(2)} → ${foreign.toFixed(2)} cores`);
      if (foreign > busy && repeats < maxRepeats && phaseSlackMs > 0) {
        repeats++;
        spend(2 * seconds * 1000);
        log(`  ${scenario.key} pair ${pair}: run again (other programs used ${foreign.toFixed(2)} cores)`);
        continue;
      }
      results.push({ api: a, baseline: b, ratio, repeats, busy: foreign > busy, foreignCores: foreign });
      break;
    }
  }
  // Latency with one request at a time (the machine not saturated): what the latency targets are about.
  const single = await measure({ ...request(api, quick ? 1 : 5), connections: 1 }, api, cluster.postmasterPid);
  log(`  ${scenario.key} one connection: p50 ${single.latency.p50} ms, p99 ${single.latency.p99} ms`);
  const ratios = results.map((r) => r.ratio);
  const of = (read: (m: Measured) => number, side: 'api' | 'baseline') => median(results.map((r) => read(r[side])));
  return {
    key: scenario.key,
    title: scenario.title,
    path: scenario.path,
    pairs: results,
    single,
    summary: {
      apiRps: of((m) => m.rps, 'api'),
      baselineRps: of((m) => m.rps, 'baseline'),
      ratioMedian: median(ratios),
      ratioMin: Math.min(...ratios),
      apiP50: of((m) => m.latency.p50, 'api'),
      apiP99: of((m) => m.latency.p99, 'api'),
      baselineP50: of((m) => m.latency.p50, 'baseline'),
      baselineP99: of((m) => m.latency.p99, 'baseline'),
      apiP50Single: single.latency.p50,
      apiP99Single: single.latency.p99,
      apiCpuMs: of((m) => m.serverCpuMsPerRequest, 'api'),
      apiPostgresCpuMs: of((m) => m.postgresCpuMsPerRequest, 'api'),
      baselineCpuMs: of((m) => m.serverCpuMsPerRequest, 'baseline'),
      baselinePostgresCpuMs: of((m) => m.postgresCpuMsPerRequest, 'baseline'),
      apiRssMiB: Math.max(...results.map((r) => r.api.serverRssMiB)),
      failures: results.reduce((sum, r) => sum + r.api.non2xx + r.api.errors + r.baseline.non2xx + r.baseline.errors, 0),
      busyPairs: results.filter((r) => r.busy).length,
    },
  };
}

function apiOnlySummary(key: string, title: string, runs: Measured[]): ApiOnlyResult {
  return {
    key,
    title,
    runs,
    summary: {
      apiRps: median(runs.map((r) => r.rps)),
      apiP50: median(runs.map((r) => r.latency.p50)),
      apiP99: median(runs.map((r) => r.latency.p99)),
      apiCpuMs: median(runs.map((r) => r.serverCpuMsPerRequest)),
      apiPostgresCpuMs: median(runs.map((r) => r.postgresCpuMsPerRequest)),
      apiRssMiB: Math.max(...runs.map((r) => r.serverRssMiB)),
      requests: runs.reduce((sum, r) => sum + r.requests, 0),
      failures: runs.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
      statusCodes: runs.reduce<Record<string, number>>((all, r) => {
        for (const [code, count] of Object.entries(r.statusCodes)) all[code] = (all[code] ?? 0) + count;
        return all;
      }, {}),
    },
  };
}

/** Puts back what the write stream changed: the applications in `nominated`, their history, what the transitions queued. */
async function restore(cluster: BenchCluster, fixtures: Fixtures, since: { seq: string; at: string }): Promise<void> {
  await cluster.admin(async (db) => {
    const ids = fixtures.nominated.map((n) => n.applicationId);
    const changed = await db.query(`UPDATE applications SET status = 'nominated', accepted_at = NULL WHERE id = ANY($1::uuid[]) AND status <> 'nominated'`, [ids]);
    await db.query('DELETE FROM application_history WHERE seq > $1', [since.seq]);
    for (const table of ['notifications', 'mail_jobs', 'refresh_tokens', 'idempotency_records']) await db.query(`DELETE FROM ${table} WHERE created_at >= $1`, [since.at]);
    await db.query('DELETE FROM rate_limit_buckets');
    await db.query('VACUUM ANALYZE applications, application_history');
    log(`restored ${changed.rowCount} applications to nominated (the audit log keeps its entries: it is append-only)`);
  });
}

/** The list scenarios, and the scale they are measured at again (10,000 applications). */
const LISTS = ['programs-open', 'incoming-page-1', 'incoming-page-50', 'arrivals'];
const SMALL_SCALE = 0.01;

/**
 * The lists on the data of scale 0.01 against the same lists on the run's data, both against
 * the API alone (an API on each cluster, both running), in pairs whose order alternates, the
 * ratio taken pair by pair: the cost of size (a list must not slow down with the rows it does
 * not show), measured within the same minutes on both sides.
 */
async function measureSizes(lists: ReadScenario[], large: { api: Server; cluster: BenchCluster }): Promise<SizesResult> {
  log(`sizes: the lists at scale ${SMALL_SCALE} against scale ${scale}, the API alone`);
  const dataset = await prepareDataset(SMALL_SCALE, { log });
  const cluster = await openCluster(dataset.dir, { log });
  let api: Server | undefined;
  try {
    api = await startApi(cluster.appUrl);
    const small = { api, cluster };
    const token = accessToken(dataset.fixtures.coordinator.id, 'coordinator');
    const deep = await deepCursor(api, token, 50);
    const smallScenarios = readScenarios(dataset.fixtures, deep.cursor, deep.page);
    const rows: SizesResult['rows'] = [];
    for (const scenario of lists) {
      const smallScenario = smallScenarios.find((candidate) => candidate.key === scenario.key)!;
      const run = (side: { api: Server; cluster: BenchCluster }, of: ReadScenario, secondsOf = seconds) => measure(loadOf(side.api, of, secondsOf), side.api, side.cluster.postmasterPid);
      await run(large, scenario, warmupSeconds);
      await run(small, smallScenario, warmupSeconds);
      const pairsOf: { small: Measured; large: Measured }[] = [];
      for (let pair = 1; pair <= pairs; pair++) {
        await waitQuiet([large.api.pid, api.pid, large.cluster.postmasterPid, cluster.postmasterPid]);
        const [largeRun, smallRun] = await inAlternatingOrder(pair, () => run(large, scenario), () => run(small, smallScenario));
        pairsOf.push({ large: largeRun, small: smallRun });
      }
      const ratios = pairsOf.map((p) => p.small.rps / Math.max(p.large.rps, 1e-9));
      const failures = pairsOf.reduce((sum, p) => sum + p.small.non2xx + p.small.errors + p.large.non2xx + p.large.errors, 0);
      const row = {
        key: scenario.key,
        title: smallScenario.title,
        smallRps: median(pairsOf.map((p) => p.small.rps)),
        smallP50: median(pairsOf.map((p) => p.small.latency.p50)),
        largeRps: median(pairsOf.map((p) => p.large.rps)),
        largeP50: median(pairsOf.map((p) => p.large.latency.p50)),
        ratioMedian: median(ratios),
        ratioMax: Math.max(...ratios),
        failures,
      };
      rows.push(row);
      log(`  ${scenario.key}: ${row.smallRps.toFixed(0)} req/s at scale ${SMALL_SCALE} against ${row.largeRps.toFixed(0)} at scale ${scale}, pair by pair ${ratios.map((r) => r.toFixed(2)).join(' / ')}${failures ? `, ${failures} failed` : ''}`);
    }
    return { scale: SMALL_SCALE, applications: dataset.fixtures.sizes.applications, incomingVisible: dataset.fixtures.incomingVisible, deepPage: deep.page, arrivals: dataset.fixtures.arrivals.inWindow, rows };
  } finally {
    await api?.stop();
    await cluster.stop();
  }
}

async function main(): Promise<number> {
  log(`scale ${scale}, ${seconds} s per run, ${pairs} pairs, ${connections} connections, ${cpus().length} cores, load average ${loadavg()[0].toFixed(2)}`);
  const dataset = await prepareDataset(scale, { fresh: options.fresh, log });
  const fixtures = dataset.fixtures;
  const cluster = await openCluster(dataset.dir, { log });
  log(`PostgreSQL ${cluster.version} on port ${cluster.port}`);
  const capture = await StatementLog.open(cluster);
  await capture.enable();
  const poolSize = Number((dataSourceOptions('postgres://localhost/exchange').extra as { max: number }).max);
  let api: (Server & { readySeconds: number }) | undefined;
  let baseline: (Server & { readySeconds: number }) | undefined;
  const results: Partial<Results> = { captures: [], reads: [] };
  let dirty = false;
  try {
    api = await startApi(cluster.appUrl);
    baseline = await startBaseline(cluster.appUrl, poolSize, await answerHeadersOf(api, '/api/v1/institutions'));
    log(`API pid ${api.pid} ready in ${api.readySeconds.toFixed(1)} s; baseline pid ${baseline.pid} (pool of ${poolSize})`);
    const coordinatorToken = accessToken(fixtures.coordinator.id, 'coordinator');
    const deep = await deepCursor(api, coordinatorToken, 50);
    const scenarios = readScenarios(fixtures, deep.cursor, deep.page).filter((s) => wanted(s.key));

    // ---- capture and compare
    for (const scenario of scenarios) {
      const result = await captureRead(capture, scenario, api, baseline);
      results.captures!.push(result);
      log(`capture ${scenario.key}: ${result.api.length} statement(s), ${result.items} item(s)${result.problems.length ? ` — ${result.problems.join('; ')}` : ', same SQL and items as the baseline'}`);
    }
    const writes = transitionSequence(fixtures.nominated);
    let used = 0;
    const writeStatements: Record<string, Statement[]> = {};
    const { rows: seqRows } = await cluster.admin((db) => db.query<{ seq: string; at: string }>(`SELECT coalesce(max(seq), 0)::text AS seq, now()::text AS at FROM application_history`));
    if (wanted('transitions')) {
      markDirty(dataset.dir, true);
      dirty = true;
      for (const kind of ['accept', 'waitlist']) {
        const captured = await captureApi(capture, async () => {
          const item = writes[used++];
          return call(api!, item.path.replace(/(accept|waitlist)$/, kind), { method: 'POST', headers: item.headers, body: item.body });
        });
        writeStatements[kind] = captured.statements;
        if (captured.result.status !== 200) log(`capture ${kind}: the API answered ${captured.result.status} ${JSON.stringify(captured.result.body).slice(0, 300)}`);
      }
    }
    const loginStatements: Record<string, Statement[]> = {};
    if (wanted('login')) {
      const first = loginSequence(fixtures)[0];
      loginStatements.login = (await captureApi(capture, () => call(api!, first.path, { method: 'POST', headers: first.headers, body: first.body }))).statements;
    }
    await capture.disable();
    if (options.explain) {
      await cluster.admin(async (db) => {
        for (const captured of results.captures!) {
          captured.plans = [];
          for (const statement of captured.api) {
            const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`, parameterValues(statement.parameters));
            captured.plans.push(rows.map((row) => row['QUERY PLAN']).join('\n'));
          }
        }
      });
    }
    results.apiOnlyCaptures = { ...writeStatements, ...loginStatements };

    // ---- the reads, in pairs
    const toMeasure = options['capture-only'] ? [] : scenarios;
    const phases = toMeasure.length + (options['capture-only'] ? 0 : Number(wanted('transitions')) + Number(wanted('login')));
    for (const [i, scenario] of toMeasure.entries()) {
      beginPhase(phases - i);
      log(`reads: ${scenario.title}`);
      results.reads!.push(await measureRead(scenario, api, baseline, cluster));
    }

    // ---- the lists at 10,000 applications against the same at the run's scale
    const lists = toMeasure.filter((scenario) => LISTS.includes(scenario.key));
    if (!quick && !options['no-small'] && lists.length) results.sizes = await measureSizes(lists, { api, cluster });

    // ---- the API alone: the write stream, the sign-in
    if (wanted('transitions') && !options['capture-only']) {
      beginPhase(1 + Number(wanted('login')));
      log('writes: accept / waitlist of nominated applications');
      const runs: Measured[] = [];
      for (let run = 0; run < pairs && used < writes.length; run++) {
        await waitQuiet([api.pid, baseline.pid, cluster.postmasterPid]);
        const sequence = writes.slice(used);
        const measured = await measure({ url: api.base, connections, seconds, method: 'POST', sequence }, api, cluster.postmasterPid);
        if (measured.requests > sequence.length) log(`  (only ${sequence.length} nominated applications were left: the others were answered 409)`);
        used += measured.requests + measured.errors + connections; // those in flight at the end were sent too
        runs.push(measured);
        log(`  transitions run ${run + 1}: ${measured.rps.toFixed(0)} req/s, p99 ${measured.latency.p99} ms, ${JSON.stringify(measured.statusCodes)}`);
      }
      results.transitions = apiOnlySummary('transitions', 'accept / waitlist stream (writes)', runs);
    }
    if (wanted('login') && !options['capture-only']) {
      beginPhase(1);
      log('sign-in');
      const runs: Measured[] = [];
      for (let run = 0; run < pairs; run++) {
        await waitQuiet([api.pid, baseline.pid, cluster.postmasterPid]);
        const measured = await measure({ url: api.base, connections, seconds, method: 'POST', sequence: loginSequence(fixtures) }, api, cluster.postmasterPid);
        runs.push(measured);
        log(`  login run ${run + 1}: ${measured.rps.toFixed(0)} req/s, p99 ${measured.latency.p99} ms, ${JSON.stringify(measured.statusCodes)}`);
      }
      results.login = apiOnlySummary('login', 'POST /auth/login (argon2id)', runs);
    }
    results.apiStartSeconds = api.readySeconds;
    const warnings = api.output().trim();
    if (warnings) results.apiLog = warnings.split('\n').slice(-20);
    if (dirty) {
      await restore(cluster, fixtures, seqRows[0]);
      markDirty(dataset.dir, false);
    }
    const { rows } = await cluster.admin((db) =>
      db.query<{ name: string; rows: string }>(`SELECT c.relname AS name, c.reltuples::bigint::text AS rows FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname IN ('public', 'audit') AND c.reltuples > 0 ORDER BY c.reltuples DESC`),
    );
    results.rows = Object.fromEntries(rows.map((r) => [r.name, Number(r.rows)]));
  } finally {
    closeLoader();
    await Promise.all([api?.stop(), baseline?.stop()]);
    await capture.close().catch(() => undefined);
    await cluster.stop();
  }
  if (!options['no-cold'] && !options['capture-only']) {
    log('cold start: npm start on a fresh data folder');
    results.coldStartSeconds = await coldStart();
    log(`  ready in ${results.coldStartSeconds.toFixed(1)} s`);
  }
  const written = writeResults(
    {
      ...(results as Results),
      meta: {
        date: new Date().toISOString(),
        scale,
        seconds,
        pairs,
        connections,
        busyCores: busy,
        cores: cpus().length,
        cpu: cpus()[0]?.model ?? '',
        node: process.version,
        postgres: cluster.version,
        poolSize,
        generatedSeconds: dataset.generatedSeconds,
        totalSeconds: (Date.now() - started) / 1000,
      },
      fixtures: { ...fixtures, nominated: [] },
    },
    options.before,
  );
  log(`results: ${written.join(', ')}`);
  const failed = results.captures!.filter((c) => c.problems.length);
  if (failed.length) {
    log(`the API's SQL or answers differ from the baseline's for: ${failed.map((c) => c.key).join(', ')} — see latest.md ("SQL captured"), then update bench/baseline/queries.ts`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
