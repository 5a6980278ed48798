/**
 * One gRPC load driver: grpc-js clients of `pos.v1.HealthService` keeping `inFlight` Check calls outstanding.
 * Runs in the bench process, or in a worker thread (bench/grpc.ts starts several: a grpc-js client costs more
 * CPU per call than the server does, so one client thread cannot load the server).
 */
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { ROOT } from './server.js';

export interface DriverConfig {
  target: string;
  channels: number;
  inFlight: number;
}

export interface DriveResult {
  calls: number;
  errors: number;
  firstError: string | undefined;
  elapsedS: number;
  /** Latencies of one call in 16, in milliseconds, unsorted. */
  latencySamples: number[];
}

type Check = (req: object, cb: (err: grpc.ServiceError | null, res: { status?: string }) => void) => void;

export class GrpcDriver {
  private readonly clients: grpc.Client[];

  constructor(private readonly config: DriverConfig) {
    const def = protoLoader.loadSync('pos/v1/health.proto', { includeDirs: [join(ROOT, 'proto')], keepCase: true, enums: String, defaults: true });
    const pos = (grpc.loadPackageDefinition(def).pos as grpc.GrpcObject).v1 as grpc.GrpcObject;
    const Ctor = pos.HealthService as grpc.ServiceClientConstructor;
    // A local subchannel pool gives each client its own connection instead of sharing one.
    this.clients = Array.from({ length: config.channels }, () => new Ctor(config.target, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 }));
  }

  ready(): Promise<void[]> {
    return Promise.all(this.clients.map((c) => new Promise<void>((res, rej) => c.waitForReady(Date.now() + 10_000, (e) => (e ? rej(e) : res())))));
  }

  async drive(seconds: number): Promise<DriveResult> {
    let calls = 0;
    let errors = 0;
    let firstError: string | undefined;
    const latencySamples: number[] = [];
    const started = performance.now();
    const until = started + seconds * 1000;
    const loop = async (i: number) => {
      const client = this.clients[i % this.clients.length]!;
      const check = (client as unknown as { Check: Check }).Check.bind(client);
      while (performance.now() < until) {
        const t0 = performance.now();
        await new Promise<void>((resolve) =>
          check({}, (err, res) => {
            if (err || res.status !== 'SERVING') {
              errors++;
              firstError ??= err ? `${grpc.status[err.code]}: ${err.details}` : `status ${res.status}`;
            } else if ((++calls & 15) === 0) latencySamples.push(performance.now() - t0);
            resolve();
          }),
        );
      }
    };
    await Promise.all(Array.from({ length: this.config.inFlight }, (_, i) => loop(i)));
    return { calls, errors, firstError, elapsedS: (performance.now() - started) / 1000, latencySamples };
  }

  close(): void {
    for (const c of this.clients) c.close();
  }
}

// In a worker thread: build a driver from workerData, then answer {ready} and {drive: seconds} messages.
if (parentPort && (workerData as { grpcDriver?: DriverConfig } | undefined)?.grpcDriver) {
  const port = parentPort;
  const driver = new GrpcDriver((workerData as { grpcDriver: DriverConfig }).grpcDriver);
  port.on('message', (m: { ready?: true; drive?: number; close?: true }) => {
    if (m.ready) driver.ready().then(() => port.postMessage({ ready: true }), (e: Error) => port.postMessage({ error: e.message }));
    else if (m.drive !== undefined) void driver.drive(m.drive).then((r) => port.postMessage({ result: r }));
    else if (m.close) {
      driver.close();
      port.close();
    }
  });
}
