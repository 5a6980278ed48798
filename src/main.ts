import type { FastifyInstance } from 'fastify';
import { createApp, type App } from './app.js';
import { startGrpcServer } from './adapters/grpc/server.js';
import { buildHttpServer } from './adapters/http/server.js';
import type { ReadinessReport } from './adapters/http/routes/system.routes.js';
import { ensureDemoTenant } from './flows/demo-data.js';
import type { Config } from './platform/config.js';
import type { Logger } from './platform/logger.js';
import { pendingMigrations } from './platform/migrate.js';
import { startWorker, type Worker } from './worker.js';

export interface Running {
  app: App;
  http: FastifyInstance;
  httpPort: number;
  grpcPort: number;
  stop(): Promise<void>;
}

/**
 * `kasir serve`: REST, gRPC and (unless POS_JOBS_ENABLED=false) the job worker in one process. Resolves once
 * every listener is up. SIGTERM/SIGINT drain: new requests get 503, in-flight ones finish (up to
 * POS_SHUTDOWN_TIMEOUT_MS), then the database closes.
 */
export async function serve(config: Config, log: Logger, opts: { demo?: boolean; installSignals?: boolean; /** Runs last on shutdown (e.g. flushing buffered spans). */ afterStop?: () => Promise<void> } = {}): Promise<Running> {
  const started = Date.now();
  const app = await createApp(config, log, { migrate: config.POS_MIGRATE_ON_START });
  let stopping = false;
  const readiness = async (): Promise<ReadinessReport> => {
    const checks: ReadinessReport['checks'] = {};
    try {
      await app.database.query('select 1');
      checks.database = { ok: true };
      const pending = await pendingMigrations((t, p) => app.database.query(t, p));
      checks.migrations = pending.length ? { ok: false, detail: `pending: ${pending.join(', ')}` } : { ok: true };
    } catch (e) {
      checks.database = { ok: false, detail: (e as Error).message };
    }
    checks.shutdown = stopping ? { ok: false, detail: 'shutting down' } : { ok: true };
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  };

  if (opts.demo) {
    const demo = await ensureDemoTenant(app);
    if (demo) log.info(demo, 'demo data ready');
  }

  const { server } = await buildHttpServer(app, readiness);
  await server.listen({ host: config.POS_HOST, port: config.POS_HTTP_PORT });
  const httpPort = (server.server.address() as { port: number }).port;
  const grpc = await startGrpcServer(app, config.POS_GRPC_PORT, config.POS_HOST);
  const worker: Worker | undefined = config.POS_JOBS_ENABLED ? await startWorker(app) : undefined;
  log.info({ http_port: httpPort, grpc_port: grpc.port, database: app.database.kind, startup_ms: Date.now() - started }, `Kasir is ready: REST on :${httpPort}, gRPC on :${grpc.port}`);

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down: draining in-flight requests');
    const deadline = setTimeout(() => {
      log.warn('shutdown timeout reached; closing remaining connections');
      server.server.closeAllConnections();
    }, config.POS_SHUTDOWN_TIMEOUT_MS);
    deadline.unref();
    await Promise.all([server.close(), grpc.stop(config.POS_SHUTDOWN_TIMEOUT_MS)]);
    await worker?.stop();
    clearTimeout(deadline);
    await app.close();
    await opts.afterStop?.().catch((e: Error) => log.warn({ err: e.message }, 'flushing traces at shutdown failed'));
    log.info('stopped');
  };
  if (opts.installSignals) {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) {
      process.once(sig, () => {
        stop().then(
          () => process.exit(0),
          (e) => {
            log.error({ err: e }, 'error during shutdown');
            process.exit(1);
          },
        );
      });
    }
  }
  return { app, http: server, httpPort, grpcPort: grpc.port, stop };
}
