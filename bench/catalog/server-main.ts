/**
 * The server the catalog bench measures: what `kasir serve` runs (same app, same HTTP server, settings from
 * the environment), plus the catalog route modules, composed the way server.ts composes extra modules. Until
 * server.ts wires the catalog routes itself, this is the only way to serve them. No gRPC, no job worker.
 */
import { buildHttpServer, type RouteModule } from '../../src/adapters/http/server.js';
import { catalogImportRoutes } from '../../src/adapters/http/routes/catalog-import.routes.js';
import { catalogRoutes } from '../../src/adapters/http/routes/catalog.routes.js';
import { imageRoutes } from '../../src/adapters/http/routes/image.routes.js';
import { pricingRoutes } from '../../src/adapters/http/routes/pricing.routes.js';
import { createApp } from '../../src/app.js';
import { CatalogExportService, CatalogImportService, createCatalogCoreServices, createCatalogPricingServices, ImageService } from '../../src/modules/catalog/index.js';
import { createBlobStore } from '../../src/platform/blob-store.js';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';

const config = loadConfig();
const log = createLogger(config.POS_LOG_LEVEL);
const app = await createApp(config, log, { migrate: config.POS_MIGRATE_ON_START });
const blobs = await createBlobStore(config);

/** The route modules measured; each is what server.ts will call for it. */
export const CATALOG_ROUTE_MODULES: Record<string, RouteModule> = {
  catalog: (r) => catalogRoutes(r, createCatalogCoreServices()),
  pricing: (r) => pricingRoutes(r, createCatalogPricingServices()),
  import: (r, a) => catalogImportRoutes(r, a, { imports: new CatalogImportService(), exports: new CatalogExportService() }),
  images: (r, a) => imageRoutes(r, a, new ImageService(blobs, { maxBytes: a.config.POS_IMAGE_MAX_BYTES })),
};

const { server } = await buildHttpServer(
  app,
  async () => {
    await app.database.query('select 1');
    return { ready: true, checks: { database: { ok: true } } };
  },
  Object.values(CATALOG_ROUTE_MODULES),
);
await server.listen({ host: config.POS_HOST, port: config.POS_HTTP_PORT });
log.warn({ port: config.POS_HTTP_PORT, modules: Object.keys(CATALOG_ROUTE_MODULES) }, 'catalog bench server ready');

for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.once(sig, () => {
    void (async () => {
      await server.close();
      await blobs.close();
      await app.close();
      process.exit(0);
    })();
  });
}
