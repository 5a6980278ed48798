/** REST load with autocannon: a discarded warm-up, then a measured run, at one connection count. */
import autocannon from 'autocannon';
import { measureCpu, round, type CpuUse } from './server.js';

export interface RestResult {
  route: string;
  connections: number;
  duration_s: number;
  requests_per_s: number;
  requests_total: number;
  latency_ms: { p50: number; p90: number; p99: number; max: number };
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

export async function loadRest(opts: {
  /** The server process, whose CPU time is measured over the run. */
  pid: number;
  baseUrl: string;
  path: string;
  headers: Record<string, string>;
  connections: number;
  warmupS: number;
  durationS: number;
}): Promise<RestResult> {
  const common = { url: `${opts.baseUrl}${opts.path}`, headers: opts.headers, connections: opts.connections, pipelining: 1, timeout: 10 };
  if (opts.warmupS > 0) await run({ ...common, duration: opts.warmupS });
  const { result: r, cpu } = await measureCpu(opts.pid, () => run({ ...common, duration: opts.durationS }), (res) => res.requests.total);
  const l = r.latency as autocannon.Histogram & { p90?: number };
  return {
    route: `GET ${opts.path}`,
    connections: opts.connections,
    duration_s: r.duration,
    // Completed requests over the measured time (autocannon's per-second average drops a partial last second).
    requests_per_s: round(r.requests.total / r.duration),
    requests_total: r.requests.total,
    latency_ms: { p50: l.p50, p90: l.p90 ?? NaN, p99: l.p99, max: l.max },
    non_2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    cpu,
  };
}
