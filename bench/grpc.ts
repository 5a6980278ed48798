/**
 * gRPC load: `pos.v1.HealthService/Check` from grpc-js clients, keeping `inFlight` calls outstanding at all times
 * across `channels` separate HTTP/2 connections. A discarded warm-up, then a measured run.
 */
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { measureCpu, round, ROOT, type CpuUse } from './server.js';

export interface GrpcResult {
  method: string;
  channels: number;
  in_flight: number;
  duration_s: number;
  calls_per_s: number;
  calls_total: number;
  errors: number;
  latency_ms: { p50: number; p99: number };
  cpu: CpuUse;
}

type Check = (req: object, cb: (err: grpc.ServiceError | null, res: { status?: string }) => void) => void;

function healthClients(target: string, channels: number): grpc.Client[] {
  const def = protoLoader.loadSync('pos/v1/health.proto', { includeDirs: [join(ROOT, 'proto')], keepCase: true, enums: String, defaults: true });
  const pos = (grpc.loadPackageDefinition(def).pos as grpc.GrpcObject).v1 as grpc.GrpcObject;
  const Ctor = pos.HealthService as grpc.ServiceClientConstructor;
  // A local subchannel pool gives each client its own connection instead of sharing one.
  return Array.from({ length: channels }, () => new Ctor(target, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 }));
}

async function drive(clients: grpc.Client[], inFlight: number, seconds: number) {
  let calls = 0;
  let errors = 0;
  let firstError: string | undefined;
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  const worker = async (i: number) => {
    const client = clients[i % clients.length]!;
    const check = (client as unknown as { Check: Check }).Check.bind(client);
    while (performance.now() < until) {
      const t0 = performance.now();
      await new Promise<void>((resolve) =>
        check({}, (err, res) => {
          if (err || res.status !== 'SERVING') {
            errors++;
            firstError ??= err ? `${grpc.status[err.code]}: ${err.details}` : `status ${res.status}`;
          } else calls++;
          // Sample one call in 16 for latency, to keep the loop itself cheap.
          if ((calls & 15) === 0) latencies.push(performance.now() - t0);
          resolve();
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: inFlight }, (_, i) => worker(i)));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN, 2);
  return { calls, errors, firstError, elapsed, p50: pct(0.5), p99: pct(0.99) };
}

export async function loadGrpcHealth(opts: { pid: number; target: string; channels: number; inFlight: number; warmupS: number; durationS: number }): Promise<GrpcResult> {
  const clients = healthClients(opts.target, opts.channels);
  try {
    await Promise.all(clients.map((c) => new Promise<void>((res, rej) => c.waitForReady(Date.now() + 10_000, (e) => (e ? rej(e) : res())))));
    if (opts.warmupS > 0) await drive(clients, opts.inFlight, opts.warmupS);
    const { result: r, cpu } = await measureCpu(opts.pid, () => drive(clients, opts.inFlight, opts.durationS), (res) => res.calls);
    if (r.errors > 0) console.warn(`  gRPC: ${r.errors} failed calls, first: ${r.firstError}`);
    return {
      method: 'pos.v1.HealthService/Check',
      channels: opts.channels,
      in_flight: opts.inFlight,
      duration_s: round(r.elapsed, 2),
      calls_per_s: round(r.calls / r.elapsed),
      calls_total: r.calls,
      errors: r.errors,
      latency_ms: { p50: r.p50, p99: r.p99 },
      cpu,
    };
  } finally {
    for (const c of clients) c.close();
  }
}
