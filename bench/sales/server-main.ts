/**
 * The server the sales bench measures: what `kasir serve` runs (same app, same HTTP server, settings from the
 * environment), plus the sales routes (and the catalog's, unless server.ts already serves them), composed the
 * way server.ts composes extra modules. No gRPC, no job worker.
 */
import { buildHttpServer, type RouteModule } from '../../src/adapters/http/server.js';
import type { RouteKit } from '../../src/adapters/http/route-kit.js';
import { catalogRoutes } from '../../src/adapters/http/routes/catalog.routes.js';
import { pricingRoutes } from '../../src/adapters/http/routes/pricing.routes.js';
import { salesRoutes } from '../../src/adapters/http/routes/sales.routes.js';
import { createApp } from '../../src/app.js';
import { createCatalogCoreServices, createCatalogPricingServices } from '../../src/modules/catalog/index.js';
import { createSalesServices } from '../../src/modules/sales/index.js';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';

const config = loadConfig();
const log = createLogger(config.POS_LOG_LEVEL);
const app = await createApp(config, log, { migrate: config.POS_MIGRATE_ON_START });
const has = (r: RouteKit, url: string) => r.routes.some((x) => x.url === url);
const modules: RouteModule[] = [
  (r) => has(r, '/api/v1/categories') || catalogRoutes(r, createCatalogCoreServices()),
  (r) => has(r, '/api/v1/prices') || pricingRoutes(r, createCatalogPricingServices()),
  (r) => has(r, '/api/v1/checkout') || salesRoutes(r, createSalesServices()),
];
const { server } = await buildHttpServer(
  app,
  async () => {
    await app.database.query('select 1');
    return { ready: true, checks: { database: { ok: true } } };
  },
  modules,
);
await server.listen({ host: config.POS_HOST, port: config.POS_HTTP_PORT });
log.warn({ port: config.POS_HTTP_PORT }, 'sales bench server ready');

for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.once(sig, () => {
    void (async () => {
      await server.close();
      await app.close();
      process.exit(0);
    })();
  });
}
