/**
 * One measured run: autocannon in a child process against one server, with the CPU time
 * the server and PostgreSQL spent meanwhile, the server's peak resident memory, and the
 * CPU time the rest of the machine spent (another program's load makes a run unfair).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cpuMs, machineCpuMs, sampleRss, treeCpuMs } from './proc.js';

export interface LoadRequest {
  url: string;
  connections: number;
  seconds: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Requests taken in turn (a write stream: each request has its own target), round and round until the time is up. */
  sequence?: { path: string; method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string }[];
}

export interface LoadResult {
  requests: number;
  seconds: number;
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  loaderCpuMs: number;
}

export interface Measured extends LoadResult {
  rps: number;
  /** CPU of the server process per request, ms. */
  serverCpuMsPerRequest: number;
  /** CPU of all PostgreSQL processes per request, ms. */
  postgresCpuMsPerRequest: number;
  /** Peak resident memory of the server process during the run, MiB. */
  serverRssMiB: number;
  /** CPU time spent by other programs during the run, in cores (0.5: half a core busy all along). */
  foreignCores: number;
}

const CHILD = fileURLToPath(new URL('./load-child.js', import.meta.url));

let child: ChildProcess | undefined;

/** The load generator's process, forked on the first run and kept for the next ones. */
function loader(): ChildProcess {
  if (!child || child.exitCode !== null) {
    child = fork(CHILD, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  }
  return child;
}

function runChild(request: LoadRequest): Promise<LoadResult> {
  const process_ = loader();
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the load generator exited (code ${code}) without an answer`));
    process_.once('exit', onExit);
    process_.once('message', (message: LoadResult | { error: string }) => {
      process_.off('exit', onExit);
      if ('error' in message) reject(new Error(`autocannon: ${message.error}`));
      else resolve(message);
    });
    process_.send(request);
  });
}

/** Ends the load generator's process. */
export function closeLoader(): void {
  if (child?.connected) child.disconnect();
  child = undefined;
}

export async function measure(request: LoadRequest, server: { pid: number }, postmasterPid: number): Promise<Measured> {
  const serverBefore = cpuMs(server.pid);
  const postgresBefore = treeCpuMs(postmasterPid).ms;
  const machineBefore = machineCpuMs();
  const selfBefore = process.cpuUsage();
  const rss = sampleRss(server.pid);
  const started = Date.now();
  const result = await runChild(request);
  const serverRssMiB = rss.stop();
  const machineAfter = machineCpuMs();
  const server_ = cpuMs(server.pid) - serverBefore;
  const postgres = treeCpuMs(postmasterPid).ms - postgresBefore;
  const self = process.cpuUsage(selfBefore);
  const ours = server_ + postgres + result.loaderCpuMs + (self.user + self.system) / 1000;
  const wall = Date.now() - started;
  const foreign = Math.max(0, machineAfter.busy - machineBefore.busy - ours);
  const requests = Math.max(1, result.requests);
  return {
    ...result,
    rps: result.requests / result.seconds,
    serverCpuMsPerRequest: server_ / requests,
    postgresCpuMsPerRequest: postgres / requests,
    serverRssMiB,
    foreignCores: foreign / Math.max(1, wall),
  };
}

/** How busy the machine is with others' work right now (our processes idle): cores, over `ms`. */
export async function foreignLoad(ms = 1000, ours: number[] = []): Promise<number> {
  const before = machineCpuMs();
  const oursBefore = ours.map((pid) => treeCpuMs(pid).ms);
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = machineCpuMs();
  const oursSpent = ours.reduce((sum, pid, i) => sum + treeCpuMs(pid).ms - oursBefore[i], 0);
  return Math.max(0, after.busy - before.busy - oursSpent) / ms;
}
