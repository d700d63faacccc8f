/**
 * A steady load of HTTP requests for the stress tier: a few workers, each sending one
 * request after another (with a short pause) for as long as the load runs, every answer
 * recorded with its time. What each request is, and what its answer means for the ledger
 * of writes, is the scenario's (database-outage.spec.ts).
 */

/** An answer as the load records it; status 0 when none came (the API gone, or hung past `HANG_MS`). */
export interface Outcome {
  action: string;
  /** ms since the epoch, when the request was sent */
  started: number;
  ms: number;
  status: number;
  contentType: string | null;
  retryAfter: string | null;
  /** the problem's `code` for an error answer */
  code: string | null;
  body: any;
  error?: string;
}

/** A request left without an answer this long is a hang (the bound asserted is far lower). */
export const HANG_MS = 15_000;

export interface Call {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  token: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export async function send(base: string, action: string, call: Call): Promise<Outcome> {
  const started = Date.now();
  const headers: Record<string, string> = { authorization: `Bearer ${call.token}`, ...call.headers };
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const response = await fetch(`${base}/api/v1${call.path}`, {
      method: call.method,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: AbortSignal.timeout(HANG_MS),
    });
    const text = await response.text();
    const contentType = response.headers.get('content-type');
    const body = /json/.test(contentType ?? '') && text ? JSON.parse(text) : text;
    return {
      action,
      started,
      ms: Date.now() - started,
      status: response.status,
      contentType,
      retryAfter: response.headers.get('retry-after'),
      code: response.status >= 400 ? (body?.code ?? null) : null,
      body,
    };
  } catch (error) {
    return { action, started, ms: Date.now() - started, status: 0, contentType: null, retryAfter: null, code: null, body: null, error: (error as Error).message };
  }
}

/** One step of a worker: sends what it chooses and books the answer; undefined when it has nothing left to send. */
export type Step = (worker: number) => Promise<Outcome | undefined>;

export interface Load {
  outcomes: Outcome[];
  /** Stops the workers after their request in flight and waits for them. */
  stop(): Promise<void>;
}

export function startLoad(workers: number, pauseMs: number, step: Step): Load {
  const outcomes: Outcome[] = [];
  let running = true;
  const loops = Array.from({ length: workers }, async (_, worker) => {
    while (running) {
      const outcome = await step(worker);
      if (outcome) outcomes.push(outcome);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  });
  return {
    outcomes,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** GET /health/ready every `everyMs` while it runs: the status and when it was asked. */
export function pollReadiness(base: string, everyMs: number): { answers: { at: number; status: number; ms: number }[]; stop(): Promise<void> } {
  const answers: { at: number; status: number; ms: number }[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = Date.now();
      const status = await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(HANG_MS) }).then(
        (response) => response.status,
        () => 0,
      );
      answers.push({ at, status, ms: Date.now() - at });
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    answers,
    async stop() {
      running = false;
      await loop;
    },
  };
}

/** Counts of the outcomes by action and status, for a failure message a person can read. */
export function tally(outcomes: Outcome[]): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const o of outcomes) {
    const key = o.code ? `${o.status} ${o.code}` : String(o.status);
    counts[o.action] ??= {};
    counts[o.action][key] = (counts[o.action][key] ?? 0) + 1;
  }
  return counts;
}
