/**
 * The results: bench/results/latest.json (everything measured), latest.md (the tables and
 * the targets), and a copy of the JSON under results/history/ named after the date and
 * scale, to compare a later run with (`--before results/history/….json`).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Fixtures } from '../generate.js';
import type { Statement } from './capture.js';
import type { Measured } from './load.js';

export interface CaptureResult {
  key: string;
  title: string;
  path: string;
  api: Statement[];
  baseline: Statement[];
  sqlMatches: boolean;
  idsMatch: boolean;
  items: number;
  parametersDiffer: boolean;
  problems: string[];
  /** With --explain: the plan of each of the API's statements, run again with its captured values. */
  plans?: string[];
}

export interface PairResult {
  api: Measured;
  baseline: Measured;
  ratio: number;
  repeats: number;
  busy: boolean;
  foreignCores: number;
}

export interface ReadResult {
  key: string;
  title: string;
  path: string;
  pairs: PairResult[];
  /** The API with one connection: a request at a time. */
  single: Measured;
  summary: {
    apiRps: number;
    baselineRps: number;
    ratioMedian: number;
    ratioMin: number;
    apiP50: number;
    apiP99: number;
    baselineP50: number;
    baselineP99: number;
    /** With one connection. */
    apiP50Single: number;
    apiP99Single: number;
    apiCpuMs: number;
    apiPostgresCpuMs: number;
    baselineCpuMs: number;
    baselinePostgresCpuMs: number;
    apiRssMiB: number;
    failures: number;
    busyPairs: number;
  };
}

export interface ApiOnlyResult {
  key: string;
  title: string;
  runs: Measured[];
  summary: { apiRps: number; apiP50: number; apiP99: number; apiCpuMs: number; apiPostgresCpuMs: number; apiRssMiB: number; requests: number; failures: number; statusCodes: Record<string, number> };
}

export interface Target {
  target: string;
  measured: string;
  pass: boolean | null;
}

/** The lists measured again, against the API alone, on the data of a small scale. */
export interface SizesResult {
  scale: number;
  applications: number;
  incomingVisible: number;
  /** The deepest incoming page there (the list may hold fewer than 50). */
  deepPage: number;
  arrivals: number;
  /** Ratios: req/s at the small scale ÷ req/s at the run's, pair by pair. */
  rows: { key: string; title: string; smallRps: number; smallP50: number; largeRps: number; largeP50: number; ratioMedian: number; ratioMax: number; failures: number }[];
}

export interface Results {
  meta: {
    date: string;
    scale: number;
    seconds: number;
    pairs: number;
    connections: number;
    busyCores: number;
    cores: number;
    cpu: string;
    node: string;
    postgres: string;
    poolSize: number;
    generatedSeconds: number;
    totalSeconds: number;
  };
  fixtures: Fixtures;
  rows: Record<string, number>;
  captures: CaptureResult[];
  reads: ReadResult[];
  transitions?: ApiOnlyResult;
  login?: ApiOnlyResult;
  /** The API's statements of one accept, one waitlist, one sign-in (no baseline). */
  apiOnlyCaptures?: Record<string, Statement[]>;
  sizes?: SizesResult;
  apiStartSeconds: number;
  coldStartSeconds?: number;
  apiLog?: string[];
  targets?: Target[];
  before?: { file: string; meta: Results['meta']; reads: { key: string; summary: ReadResult['summary'] }[]; transitions?: ApiOnlyResult['summary']; login?: ApiOnlyResult['summary'] };
}

const RESULTS = fileURLToPath(new URL('../../../bench/results/', import.meta.url));

const n0 = (value: number) => Math.round(value).toLocaleString('en');
const n2 = (value: number) => value.toFixed(2);
const ms = (value: number) => (value >= 10 ? value.toFixed(0) : value.toFixed(1));

/** A latency target is about a request at a time; the p99 under the 32 connections is shown beside it. */
const latency = (r: ReadResult) => `${ms(r.summary.apiP99Single)} ms a request at a time (${ms(r.summary.apiP99)} ms under load)`;

export function targetsOf(results: Results): Target[] {
  const read = (key: string) => results.reads.find((r) => r.key === key);
  const targets: Target[] = [];
  for (const r of results.reads) {
    targets.push({
      target: `${r.key}: ≥ 0.70 of the baseline, no pair below 0.60`,
      measured: `${n2(r.summary.ratioMedian)} (min ${n2(r.summary.ratioMin)})`,
      pass: r.summary.ratioMedian >= 0.7 && r.summary.ratioMin >= 0.6,
    });
  }
  const fx = results.fixtures;
  for (const key of ['incoming-page-1', 'incoming-page-50']) {
    const r = read(key);
    if (r) targets.push({ target: `${key}: p99 ≤ 50 ms (list pages at 20,000 applications; here ${n0(fx.sizes.benchPrograms * fx.sizes.perProgram)} to the institution, ${n0(fx.incomingVisible)} in its list)`, measured: latency(r), pass: r.summary.apiP99Single <= 50 });
  }
  const first = read('incoming-page-1');
  const deep = read('incoming-page-50');
  if (first && deep) {
    const slower = first.summary.apiRps / Math.max(deep.summary.apiRps, 1e-9);
    targets.push({ target: 'page 50 within 1.5× page 1 (req/s and p50)', measured: `${n2(slower)}× the time per request, p50 ${ms(deep.summary.apiP50)} vs ${ms(first.summary.apiP50)} ms`, pass: slower <= 1.5 && deep.summary.apiP50 <= 1.5 * Math.max(first.summary.apiP50, 1) });
  }
  const matches = read('matches');
  if (matches) targets.push({ target: `matches: p99 ≤ 100 ms among 50,000 families (here ${n0(fx.sizes.families)}, ${n0(fx.sizes.benchFamilies)} of the institution)`, measured: latency(matches), pass: matches.summary.apiP99Single <= 100 });
  const arrivals = read('arrivals');
  if (arrivals) targets.push({ target: `arrivals board: p99 ≤ 50 ms with 5,000 arrivals in its window (here ${n0(fx.arrivals.inWindow)})`, measured: latency(arrivals), pass: arrivals.summary.apiP99Single <= 50 });
  if (results.sizes) {
    const small = results.sizes;
    for (const row of small.rows) {
      targets.push({
        target: `${row.key}: ${n0(fx.sizes.applications)} applications within 1.5× of ${n0(small.applications)} (req/s)`,
        measured: `${n2(row.ratioMedian)}× (max ${n2(row.ratioMax)}; ${n0(row.smallRps)} vs ${n0(row.largeRps)} req/s, p50 ${ms(row.smallP50)} vs ${ms(row.largeP50)} ms)${row.failures ? `, ${n0(row.failures)} failed` : ''}`,
        pass: row.ratioMedian <= 1.5 && row.failures === 0,
      });
    }
  }
  const rss = Math.max(0, ...results.reads.map((r) => r.summary.apiRssMiB), results.transitions?.summary.apiRssMiB ?? 0, results.login?.summary.apiRssMiB ?? 0);
  targets.push({
    target: 'API resident memory ≤ 300 MB under load (peak of all runs)',
    measured: rss ? `${n0((rss * 1024 * 1024) / 1e6)} MB (${n0(rss)} MiB)` : 'not measured',
    pass: rss ? (rss * 1024 * 1024) / 1e6 <= 300 : null,
  });
  targets.push({
    target: 'cold `npm start` (fresh data folder) ready ≤ 30 s',
    measured: results.coldStartSeconds === undefined ? 'not measured (--no-cold)' : `${results.coldStartSeconds.toFixed(1)} s`,
    pass: results.coldStartSeconds === undefined ? null : results.coldStartSeconds <= 30,
  });
  return targets;
}

function statementsBlock(statements: Statement[], plans: string[] = []): string {
  if (!statements.length) return '_(none)_\n';
  return statements
    .map((s, i) => {
      const how = s.protocol === 'prepared' ? `named prepared statement "${s.name}"` : s.protocol === 'extended' ? 'extended protocol, unnamed' : 'simple query';
      const plan = plans[i] ? `\nPlan (EXPLAIN ANALYZE, BUFFERS):\n\n\`\`\`\n${plans[i]}\n\`\`\`\n` : '';
      return `${i + 1}. ${how}${s.parameters ? ` — parameters: \`${s.parameters.length > 300 ? s.parameters.slice(0, 300) + '…' : s.parameters}\`` : ''}\n\n\`\`\`sql\n${s.text.trim()}\n\`\`\`\n${plan}`;
    })
    .join('\n');
}

export function markdown(results: Results): string {
  const m = results.meta;
  const fx = results.fixtures;
  const totalRows = Object.values(results.rows).reduce((sum, rows) => sum + rows, 0);
  const lines: string[] = [];
  lines.push(`# Benchmark: the API against a bare node:http + pg baseline`, '');
  lines.push(`${m.date.slice(0, 19).replace('T', ' ')} UTC · scale ${m.scale} · ${m.cores} cores (${m.cpu}) · Node ${m.node} · PostgreSQL ${m.postgres} · pool of ${m.poolSize} connections on each side`, '');
  lines.push(
    `Data: about ${n0(totalRows)} rows (the planner's counts) — ${['applications', 'application_history', 'checklist_items', 'users', 'placements', 'host_families', 'programs', 'institutions'].map((t) => `${t} ${n0(results.rows[t] ?? 0)}`).join(', ')}.` +
      ` The coordinator's institution receives ${n0(fx.sizes.benchPrograms * fx.sizes.perProgram)} applications (${n0(fx.incomingVisible)} from nomination on, in its incoming list), has ${n0(fx.arrivals.inWindow)} arrivals in the board's window (${fx.arrivals.from} to ${fx.arrivals.to}) and manages ${n0(fx.sizes.benchFamilies)} of the ${n0(fx.sizes.families)} families.`,
    '',
  );
  lines.push(
    `Runs: ${m.connections} connections, ${m.seconds} s each; reads in ${m.pairs} pairs (API then baseline, then the other way round, in turn), the ratio taken pair by pair (API req/s ÷ baseline req/s); a pair during which other programs used more than ${m.busyCores} cores is run again (marked * when it stayed busy). CPU per request: the server process, and all PostgreSQL processes, from /proc. Total ${n0(m.totalSeconds)} s${m.generatedSeconds ? `, of which ${n0(m.generatedSeconds)} s generating the data` : ' (data from the cache)'}.`,
    '',
  );
  lines.push('## Reads', '');
  lines.push('| scenario | API req/s | p50 ms | p99 ms | baseline req/s | p50 ms | p99 ms | ratio median (min) | API CPU ms/req | PG CPU ms/req (API) | baseline CPU ms/req | PG CPU ms/req (baseline) | API RSS MiB | API p50 / p99 ms, 1 connection | items | same SQL and items |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|');
  for (const r of results.reads) {
    const s = r.summary;
    const c = results.captures.find((x) => x.key === r.key);
    lines.push(
      `| ${r.title}${s.busyPairs ? ' *' : ''} | ${n0(s.apiRps)} | ${ms(s.apiP50)} | ${ms(s.apiP99)} | ${n0(s.baselineRps)} | ${ms(s.baselineP50)} | ${ms(s.baselineP99)} | **${n2(s.ratioMedian)}** (${n2(s.ratioMin)}) | ${n2(s.apiCpuMs)} | ${n2(s.apiPostgresCpuMs)} | ${n2(s.baselineCpuMs)} | ${n2(s.baselinePostgresCpuMs)} | ${n0(s.apiRssMiB)} | ${s.apiP50Single === undefined ? '' : `${ms(s.apiP50Single)} / ${ms(s.apiP99Single)}`} | ${c?.items ?? ''} | ${c ? (c.problems.length ? '**no**' : 'yes') : ''} |`,
    );
  }
  lines.push('');
  lines.push('Ratios pair by pair: ' + results.reads.map((r) => `${r.key} ${r.pairs.map((p) => n2(p.ratio) + (p.busy ? '*' : '')).join(' / ')}`).join(' · '), '');
  const apiOnly = [results.transitions, results.login].filter((x): x is ApiOnlyResult => !!x);
  if (apiOnly.length) {
    lines.push('## The API alone', '');
    lines.push('| scenario | req/s | p50 ms | p99 ms | API CPU ms/req | PG CPU ms/req | API RSS MiB | requests | answers |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const x of apiOnly) {
      const s = x.summary;
      lines.push(`| ${x.title} | ${n0(s.apiRps)} | ${ms(s.apiP50)} | ${ms(s.apiP99)} | ${n2(s.apiCpuMs)} | ${n2(s.apiPostgresCpuMs)} | ${n0(s.apiRssMiB)} | ${n0(s.requests)} | ${Object.entries(s.statusCodes).map(([code, count]) => `${code}: ${n0(count)}`).join(', ')} |`);
    }
    lines.push('', 'The sign-in is dominated by argon2id by design (OWASP parameters: 19 MiB, 2 passes), so it has no baseline.', '');
  }
  if (results.sizes) {
    const small = results.sizes;
    lines.push(`## Size: ${n0(fx.sizes.applications)} applications against ${n0(small.applications)}`, '');
    lines.push(
      `The lists against an API on the data of scale ${small.scale} (${n0(small.applications)} applications; the coordinator's incoming list holds ${n0(small.incomingVisible)}, its deepest page being page ${small.deepPage}; ${n0(small.arrivals)} arrivals in the board's window) and the API on this run's data, both running, in ${m.pairs} pairs whose order alternates; medians, and the ratio (req/s at ${n0(small.applications)} ÷ req/s at ${n0(fx.sizes.applications)}) pair by pair.`,
      '',
    );
    lines.push(`| list | req/s at ${n0(small.applications)} | p50 ms | req/s at ${n0(fx.sizes.applications)} | p50 ms | ratio median (max) |`, '|---|---:|---:|---:|---:|---:|');
    for (const row of small.rows) lines.push(`| ${row.title} | ${n0(row.smallRps)} | ${ms(row.smallP50)} | ${n0(row.largeRps)} | ${ms(row.largeP50)} | ${n2(row.ratioMedian)}× (${n2(row.ratioMax)}×) |`);
    lines.push('');
  }
  lines.push(`## Targets`, '');
  if (m.scale !== 1) lines.push(`_At scale ${m.scale}: the targets are set for scale 1 (a million applications); these figures only check the bench._`, '');
  lines.push('| target | measured | |', '|---|---|:---:|');
  for (const t of results.targets ?? []) lines.push(`| ${t.target} | ${t.measured} | ${t.pass === null ? '–' : t.pass ? 'pass' : '**miss**'} |`);
  lines.push('', `The latency targets are checked against the API's p99 with one connection (a request at a time, after the pairs); under the ${m.connections} connections of the pairs the machine is saturated and p99 is mostly the time a request waits behind the others (shown in brackets).`, '');
  if (results.before) {
    const b = results.before;
    lines.push(`## Before → after`, '', `Before: ${b.file} (${b.meta.date.slice(0, 19).replace('T', ' ')} UTC, scale ${b.meta.scale}).`, '');
    lines.push('| scenario | API req/s | change | p99 ms | ratio to baseline | API CPU ms/req | PG CPU ms/req |', '|---|---:|---:|---:|---:|---:|---:|');
    for (const r of results.reads) {
      const old = b.reads.find((x) => x.key === r.key)?.summary;
      if (!old) continue;
      const s = r.summary;
      lines.push(`| ${r.key} | ${n0(old.apiRps)} → ${n0(s.apiRps)} | ${s.apiRps >= old.apiRps ? '+' : ''}${n0((100 * (s.apiRps - old.apiRps)) / old.apiRps)}% | ${ms(old.apiP99)} → ${ms(s.apiP99)} | ${n2(old.ratioMedian)} → ${n2(s.ratioMedian)} | ${n2(old.apiCpuMs)} → ${n2(s.apiCpuMs)} | ${n2(old.apiPostgresCpuMs)} → ${n2(s.apiPostgresCpuMs)} |`);
    }
    for (const [key, old, now] of [
      ['transitions', b.transitions, results.transitions?.summary],
      ['login', b.login, results.login?.summary],
    ] as const) {
      if (old && now) lines.push(`| ${key} | ${n0(old.apiRps)} → ${n0(now.apiRps)} | ${now.apiRps >= old.apiRps ? '+' : ''}${n0((100 * (now.apiRps - old.apiRps)) / old.apiRps)}% | ${ms(old.apiP99)} → ${ms(now.apiP99)} | | ${n2(old.apiCpuMs)} → ${n2(now.apiCpuMs)} | ${n2(old.apiPostgresCpuMs)} → ${n2(now.apiPostgresCpuMs)} |`);
    }
    lines.push('');
  }
  lines.push('## SQL captured', '', "Each scenario's statements as PostgreSQL logged them (log_statement = all) for one request of the API, after two warm-up requests; the baseline (bench/baseline/queries.ts) must send the same, in the same order and by the same protocol.", '');
  for (const c of results.captures) {
    lines.push(`### ${c.title} — \`GET ${c.path.length > 120 ? c.path.slice(0, 120) + '…' : c.path}\``, '');
    if (c.problems.length) lines.push(`**Differs from the baseline:** ${c.problems.join('; ')}.`, '');
    else if (c.parametersDiffer) lines.push('Same SQL as the baseline; some parameter values differ (a time taken at the request, say).', '');
    lines.push(statementsBlock(c.api, c.plans));
    if (c.problems.length) lines.push('The baseline sent:', '', statementsBlock(c.baseline));
  }
  const titles: Record<string, string> = { accept: 'POST /applications/{id}/accept', waitlist: 'POST /applications/{id}/waitlist', login: 'POST /auth/login' };
  for (const [name, statements] of Object.entries(results.apiOnlyCaptures ?? {})) lines.push(`### ${titles[name] ?? name} (the API alone)`, '', statementsBlock(statements));
  if (results.apiLog?.length) lines.push('## What the API logged (warn and above, last lines)', '', '```', ...results.apiLog, '```', '');
  return lines.join('\n');
}

export function writeResults(results: Results, beforeFile?: string): string[] {
  mkdirSync(join(RESULTS, 'history'), { recursive: true });
  if (beforeFile) {
    const path = existsSync(beforeFile) ? beforeFile : join(RESULTS, beforeFile);
    const old = JSON.parse(readFileSync(path, 'utf8')) as Results;
    results.before = {
      file: relative(process.cwd(), path),
      meta: old.meta,
      reads: old.reads.map((r) => ({ key: r.key, summary: r.summary })),
      transitions: old.transitions?.summary,
      login: old.login?.summary,
    };
  }
  results.targets = targetsOf(results);
  const json = join(RESULTS, 'latest.json');
  const md = join(RESULTS, 'latest.md');
  writeFileSync(json, JSON.stringify(results, null, 1) + '\n');
  writeFileSync(md, markdown(results));
  const history = join(RESULTS, 'history', `${results.meta.date.slice(0, 19).replace(/[:T]/g, '-')}-scale-${results.meta.scale}.json`);
  copyFileSync(json, history);
  return [json, md, history].map((p) => relative(process.cwd(), p));
}
