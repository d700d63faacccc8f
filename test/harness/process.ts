import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The built API (`pretest` builds dist/) run as `npm start` runs it, for the process tier:
 * started, waited for, signalled, and the PostgreSQL processes it leaves behind.
 */
export const MAIN = resolve('dist/src/main.js');

/** Generous for a loaded CI machine; an idle one is ready in well under 30 s (README). */
export const READY_WITHIN_MS = 90_000;

function processIds(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

function readProc(pid: number, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

/** PostgreSQL postmasters serving this data directory. */
export function postgresOn(dataDir: string): number[] {
  return processIds().filter((pid) => {
    const cmdline = readProc(pid, 'cmdline');
    return cmdline.includes('postgres') && cmdline.includes(dataDir);
  });
}

/** A process and all it started (a postmaster's backends and helpers). */
export function withDescendants(pid: number): number[] {
  const parents = new Map(
    processIds().map((id) => {
      // stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
      const stat = readProc(id, 'stat');
      return [id, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])] as const;
    }),
  );
  const family = [pid];
  for (let grew = true; grew; ) {
    grew = false;
    for (const [id, parent] of parents) {
      if (family.includes(parent) && !family.includes(id)) {
        family.push(id);
        grew = true;
      }
    }
  }
  return family;
}

/** The arguments a process was started with. */
export function commandLineOf(pid: number): string[] {
  return readProc(pid, 'cmdline').split('\0').slice(0, -1); // each argument ends with a NUL
}

export interface ApiProcess {
  child: ChildProcess;
  /** stdout and stderr together, as a terminal shows them. */
  output(): string;
  stderr(): string;
  exited: Promise<number | null>;
  /** Sends the signal and waits for the exit code. */
  stop(signal: NodeJS.Signals): Promise<number | null>;
}

/** Starts the API with exactly this environment (and PATH). */
export function spawnApi(env: Record<string, string>, options: { cwd?: string; main?: string } = {}): ApiProcess {
  const child = spawn(process.execPath, [options.main ?? MAIN], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => {
    output += chunk;
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    stderr: () => stderr,
    exited,
    stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** The status of GET /health/ready, 0 when nothing answers. */
export function readiness(base: string, timeoutMs = 10_000): Promise<number> {
  return fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(timeoutMs) }).then(
    (response) => response.status,
    () => 0,
  );
}

/** Waits until /health/ready answers 200; fails when the API exits or takes too long. */
export async function waitReady(api: ApiProcess, base: string, within = READY_WITHIN_MS): Promise<void> {
  const deadline = Date.now() + within;
  while (Date.now() < deadline) {
    if (api.child.exitCode !== null) throw new Error(`the API exited (${api.child.exitCode}): ${api.output()}`);
    if ((await readiness(base)) === 200) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not ready within ${within / 1000} s: ${api.output()}`);
}

export async function login(base: string, email: string, password: string) {
  const response = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  return { status: response.status, body: (await response.json()) as { accessToken: string } };
}
