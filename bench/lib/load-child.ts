/**
 * The load generator, in a process of its own (forked once by load.ts), so that neither
 * the server under test nor the bench's bookkeeping shares its event loop. Takes each
 * run's description as an IPC message, answers with autocannon's figures and the CPU time
 * it spent on the run.
 */
import autocannon from 'autocannon';
import type { LoadRequest, LoadResult } from './load.js';

// One run per message, one after the other, until the parent disconnects.
process.on('message', (message: LoadRequest) => {
  void run(message).then(
    (result) => process.send!(result),
    (error: Error) => process.send!({ error: error.message }),
  );
});
process.on('disconnect', () => process.exit(0));

async function run(request: LoadRequest): Promise<LoadResult> {
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  let next = 0;
  const sequence = request.sequence;
  const options: autocannon.Options = {
    url: request.url,
    connections: request.connections,
    duration: request.seconds,
    headers: request.headers,
    timeout: 10,
  };
  if (request.method) options.method = request.method;
  if (request.body !== undefined) options.body = request.body;
  if (sequence?.length) {
    // Each request takes the next item (a write changes its target: each has its own), round and round until the time is up.
    options.requests = [
      {
        setupRequest: (req) => {
          const item = sequence[next++ % sequence.length];
          return { ...req, method: item.method ?? request.method ?? 'GET', path: item.path, headers: { ...request.headers, ...item.headers }, body: item.body ?? request.body };
        },
      },
    ];
  }
  const result = await autocannon(options);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const statusCodes: Record<string, number> = {};
  for (const [code, count] of Object.entries((result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {})) statusCodes[code] = count.count;
  return {
    requests: result.requests.total,
    seconds,
    latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: result.latency.average },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    loaderCpuMs: (cpu.user + cpu.system) / 1000,
  };
}
