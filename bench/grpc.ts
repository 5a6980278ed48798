/**
 * gRPC load: `pos.v1.HealthService/Check`, keeping `inFlight` calls outstanding per driver over `channels`
 * HTTP/2 connections each, from `workers` worker threads (0: one driver in this thread). A discarded warm-up,
 * then a measured run.
 */
import { Worker } from 'node:worker_threads';
import { GrpcDriver, type DriveResult, type DriverConfig } from './grpc-driver.js';
import { measureCpu, round, type CpuUse } from './server.js';

export interface GrpcResult {
  method: string;
  client_threads: number;
  channels_per_thread: number;
  in_flight_per_thread: number;
  duration_s: number;
  calls_per_s: number;
  calls_total: number;
  errors: number;
  latency_ms: { p50: number; p99: number };
  cpu: CpuUse;
}

interface Driver {
  ready(): Promise<unknown>;
  drive(seconds: number): Promise<DriveResult>;
  close(): void;
}

/** A GrpcDriver in a worker thread, behind the same interface. */
function threadDriver(config: DriverConfig): Driver {
  // The driver is TypeScript: a worker thread does not inherit tsx's loader, so it registers it before importing.
  const driverUrl = new URL('./grpc-driver.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(driverUrl)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: { grpcDriver: config } });
  const ask = <T>(message: object, key: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: Record<string, unknown>) => {
        worker.off('error', reject);
        if (m.error) reject(new Error(String(m.error)));
        else resolve(m[key] as T);
      };
      worker.once('message', onMessage);
      worker.once('error', reject);
      worker.postMessage(message);
    });
  return {
    ready: () => ask({ ready: true }, 'ready'),
    drive: (seconds) => ask<DriveResult>({ drive: seconds }, 'result'),
    close: () => {
      worker.postMessage({ close: true });
      void worker.terminate();
    },
  };
}

export async function loadGrpcHealth(opts: { pid: number; target: string; workers: number; channels: number; inFlight: number; warmupS: number; durationS: number }): Promise<GrpcResult> {
  const config = { target: opts.target, channels: opts.channels, inFlight: opts.inFlight };
  const drivers: Driver[] = opts.workers > 0 ? Array.from({ length: opts.workers }, () => threadDriver(config)) : [new GrpcDriver(config)];
  try {
    await Promise.all(drivers.map((d) => d.ready()));
    if (opts.warmupS > 0) await Promise.all(drivers.map((d) => d.drive(opts.warmupS)));
    const { result: runs, cpu } = await measureCpu(
      opts.pid,
      () => Promise.all(drivers.map((d) => d.drive(opts.durationS))),
      (rs) => rs.reduce((n, r) => n + r.calls, 0),
    );
    const calls = runs.reduce((n, r) => n + r.calls, 0);
    const errors = runs.reduce((n, r) => n + r.errors, 0);
    if (errors > 0) console.warn(`  gRPC: ${errors} failed calls, first: ${runs.find((r) => r.firstError)?.firstError}`);
    const elapsed = Math.max(...runs.map((r) => r.elapsedS));
    const latencies = runs.flatMap((r) => r.latencySamples).sort((a, b) => a - b);
    const pct = (p: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN, 2);
    return {
      method: 'pos.v1.HealthService/Check',
      client_threads: Math.max(1, opts.workers),
      channels_per_thread: opts.channels,
      in_flight_per_thread: opts.inFlight,
      duration_s: round(elapsed, 2),
      calls_per_s: round(calls / elapsed),
      calls_total: calls,
      errors,
      latency_ms: { p50: pct(0.5), p99: pct(0.99) },
      cpu,
    };
  } finally {
    for (const d of drivers) d.close();
  }
}
