import { randomUUID } from 'node:crypto';

/**
 * A register fleet for the reliability tests: `workers` loops each sending one-request checkouts with an
 * Idempotency-Key, as a till would, and remembering what it was told. A request the server did not answer
 * with 2xx is "unacknowledged": the till may retry it with the same key (half the time it does, at once), or
 * leave it for a later recovery pass (`retryUnacknowledged`). The base URL is read on every request, so the
 * server may move to another port when it restarts.
 */
export interface Attempt {
  key: string;
  body: Record<string, unknown>;
  acked?: { id: string; receiptNumber: string; total: number; replayed: boolean };
  /** Every answer this attempt got, e.g. "503 DATABASE_UNAVAILABLE", "network", "201". */
  answers: string[];
}

export interface LoadOptions {
  baseUrl: () => string;
  headers: Record<string, string>;
  /** Builds a valid checkout body; `key` is put in `notes` so the database can be searched by key. */
  body: (key: string) => Record<string, unknown>;
  workers: number;
  timeoutMs?: number;
}

export interface Load {
  attempts: Attempt[];
  /** Requests sent and not yet answered. */
  inFlight(): number;
  /** Count of answers by status (and error code), over the whole run. */
  answers(): Record<string, number>;
  /** Answers received since the last call. */
  drainRecent(): string[];
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function send(opts: Pick<LoadOptions, 'baseUrl' | 'headers' | 'timeoutMs'>, a: Attempt): Promise<string> {
  let answer: string;
  try {
    const res = await fetch(`${opts.baseUrl()}/api/v1/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': a.key, ...opts.headers },
      body: JSON.stringify(a.body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
    });
    const text = await res.text();
    let json: { id?: string; receipt_number?: string; total?: number; error?: { code?: string } } | undefined;
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      json = undefined;
    }
    answer = res.status >= 200 && res.status < 300 ? String(res.status) : `${res.status} ${json?.error?.code ?? `(no error code: ${text.slice(0, 80)})`}`;
    if (res.status >= 200 && res.status < 300) {
      const replayed = res.headers.get('idempotent-replayed') === 'true';
      const acked = { id: json!.id!, receiptNumber: json!.receipt_number!, total: json!.total!, replayed };
      if (a.acked && a.acked.id !== acked.id) throw new Error(`key ${a.key} acknowledged twice with different orders: ${a.acked.id} then ${acked.id}`);
      a.acked = acked;
    }
  } catch (e) {
    if ((e as Error).message.startsWith('key ')) throw e;
    answer = 'network';
  }
  a.answers.push(answer);
  return answer;
}

export function startLoad(opts: LoadOptions): Load {
  const attempts: Attempt[] = [];
  const counts: Record<string, number> = {};
  let recent: string[] = [];
  let inFlight = 0;
  let stopping = false;
  let failure: unknown;
  const one = async (a: Attempt) => {
    inFlight++;
    try {
      const answer = await send(opts, a);
      counts[answer] = (counts[answer] ?? 0) + 1;
      recent.push(answer);
      return answer;
    } finally {
      inFlight--;
    }
  };
  const worker = async () => {
    while (!stopping) {
      const key = `rel-${randomUUID()}`;
      const a: Attempt = { key, body: opts.body(key), answers: [] };
      attempts.push(a);
      let answer = await one(a);
      // an unacknowledged request: retry it with its key at once, half the time, while the server is there
      while (!stopping && !a.acked && Math.random() < 0.5) {
        await sleep(answer === 'network' ? 200 : 50);
        answer = await one(a);
      }
      if (answer === 'network') await sleep(100); // the server is down: do not spin
    }
  };
  const running = Array.from({ length: opts.workers }, () => worker().catch((e) => (failure = e)));
  return {
    attempts,
    inFlight: () => inFlight,
    answers: () => ({ ...counts }),
    drainRecent: () => {
      const r = recent;
      recent = [];
      return r;
    },
    async stop() {
      stopping = true;
      await Promise.all(running);
      if (failure) throw failure;
    },
  };
}

/**
 * Sends every unacknowledged attempt again with its key until each is acknowledged. A key whose first
 * request died with the server stays claimed until its lease runs out (30 s), answering 409 meanwhile.
 */
export async function retryUnacknowledged(opts: Pick<LoadOptions, 'baseUrl' | 'headers'>, attempts: Attempt[], deadlineMs = 60_000): Promise<{ retried: number; rounds: number }> {
  const pending = attempts.filter((a) => !a.acked);
  const retried = pending.length;
  const until = Date.now() + deadlineMs;
  let rounds = 0;
  let left = pending;
  while (left.length && Date.now() < until) {
    rounds++;
    // bounded concurrency: 16 at a time
    for (let i = 0; i < left.length; i += 16) await Promise.all(left.slice(i, i + 16).map((a) => send(opts, a)));
    left = left.filter((a) => !a.acked);
    if (left.length) await sleep(1_000);
  }
  return { retried, rounds };
}
