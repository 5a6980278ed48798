/** HTTP load for the catalog bench: autocannon over a set of requests, at a fixed rate or flat out. */
import autocannon from 'autocannon';
import { measureCpu, round, type CpuUse } from '../server.js';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

export interface LoadResult {
  name: string;
  connections: number;
  /** Requests per second asked for; null when flat out. */
  target_rate: number | null;
  duration_s: number;
  requests_per_s: number;
  requests_total: number;
  latency_ms: { p50: number; p90: number; p99: number; p99_9: number; max: number };
  non_2xx: number;
  errors: number;
  timeouts: number;
  cpu: CpuUse;
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/**
 * Sends `requests` (each request picks the next one, round robin from a random start) for `durationS`
 * after a discarded warm-up. With `rate`, autocannon paces all connections together to that many requests
 * per second (latency then is what a client sees at that load); without, as fast as the server answers.
 */
export async function load(opts: {
  name: string;
  pid: number;
  baseUrl: string;
  headers: Record<string, string>;
  requests: LoadRequest[];
  connections: number;
  rate?: number;
  warmupS: number;
  durationS: number;
}): Promise<LoadResult> {
  let i = Math.floor(Math.random() * opts.requests.length);
  const next = (): LoadRequest => opts.requests[i++ % opts.requests.length]!;
  const common: autocannon.Options = {
    url: opts.baseUrl,
    headers: { ...opts.headers, 'content-type': 'application/json' },
    connections: opts.connections,
    pipelining: 1,
    timeout: 10,
    ...(opts.rate ? { overallRate: opts.rate } : {}),
    requests: [
      {
        setupRequest: (req: autocannon.Request) => {
          const r = next();
          return { ...req, method: r.method, path: r.path, ...(r.body ? { body: r.body } : {}) };
        },
      },
    ],
  };
  if (opts.warmupS > 0) await run({ ...common, duration: opts.warmupS });
  const { result: r, cpu } = await measureCpu(opts.pid, () => run({ ...common, duration: opts.durationS }), (res) => res.requests.total);
  const l = r.latency as autocannon.Histogram & { p90?: number; p99_9?: number };
  return {
    name: opts.name,
    connections: opts.connections,
    target_rate: opts.rate ?? null,
    duration_s: r.duration,
    requests_per_s: round(r.requests.total / r.duration),
    requests_total: r.requests.total,
    latency_ms: { p50: l.p50, p90: l.p90 ?? NaN, p99: l.p99, p99_9: l.p99_9 ?? NaN, max: l.max },
    non_2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    cpu,
  };
}
