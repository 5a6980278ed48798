/**
 * The server the catalog bench measures: the same app and HTTP server as `kasir serve` (settings from the
 * environment, every route served by server.ts), without gRPC and the job worker, so the figures are REST's.
 */
import { buildHttpServer } from '../../src/adapters/http/server.js';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';

const config = loadConfig();
const log = createLogger(config.POS_LOG_LEVEL);
const app = await createApp(config, log, { migrate: config.POS_MIGRATE_ON_START });

const { server } = await buildHttpServer(app, async () => {
  await app.database.query('select 1');
  return { ready: true, checks: { database: { ok: true } } };
});
await server.listen({ host: config.POS_HOST, port: config.POS_HTTP_PORT });
log.warn({ port: config.POS_HTTP_PORT }, 'catalog bench server ready');

for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.once(sig, () => {
    void (async () => {
      await server.close();
      await app.close();
      process.exit(0);
    })();
  });
}
