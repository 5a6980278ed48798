/**
 * Catalog change-feed sync at scale: `npx tsx bench/catalog-sync.ts [products] [batch]`.
 * Generates `products` × 3 variants (each with a barcode) in one tenant of a fresh PostgreSQL database
 * (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/kasir_bench_catalog) — or PGlite with
 * BENCH_PGLITE=1 — writing `batch` products per catalog transaction (one change_seq each; batch = products
 * puts the whole catalog in one seq, the worst case), then times a register's full sync through
 * ChangeFeedService at limit 5000, and a barcode lookup.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { createApp } from '../src/app.js';
import { provisionTenant } from '../src/flows/provision-tenant.js';
import { createCatalogCoreServices, tickCatalogClock } from '../src/modules/catalog/index.js';
import { loadConfig } from '../src/platform/config.js';
import type { Ctx } from '../src/platform/context.js';
import { openDatabase } from '../src/platform/db.js';
import { uuidv7 } from '../src/platform/ids.js';
import { createLogger } from '../src/platform/logger.js';
import { migrate } from '../src/platform/migrate.js';
import { freshPostgresDatabase } from '../test/support/database.js';

const products = Number(process.argv[2] ?? 100_000);
const batch = Number(process.argv[3] ?? 1_000);
const pglite = process.env.BENCH_PGLITE === '1';
const url = pglite ? undefined : await freshPostgresDatabase(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kasir_bench_catalog', 'run');
const dataDir = pglite ? mkdtempSync(join(tmpdir(), 'kasir-bench-')) : '';
const database = await openDatabase({
  url,
  dataDir,
  poolSize: 4,
  appRole: 'kasir_app',
  beforeRoleSwitch: (q) => migrate(q).then(() => undefined),
});
const config = loadConfig({ POS_LOG_LEVEL: 'silent', POS_JOBS_ENABLED: 'false' });
const app = await createApp(config, createLogger('silent'), { migrate: false, database });
const t = await provisionTenant(
  { database, tenants: app.services.tenants, access: app.services.access, log: app.log },
  { slug: `bench-${Date.now()}`, name: 'Bench', owner: { user_id: uuidv7(), display_name: 'Owner' } },
);
const tenantId = t.tenant.id;

const started = Date.now();
for (let done = 0; done < products; done += batch) {
  const n = Math.min(batch, products - done);
  await database.transaction(tenantId, async (db) => {
    const seq = await tickCatalogClock({ db, tenantId });
    // Set-based inserts; the ids come from here so that they are UUIDv7 like the API's.
    const ps = Array.from({ length: n }, () => uuidv7());
    const vs = ps.flatMap((p) => [0, 1, 2].map(() => ({ p, v: uuidv7() })));
    await db.execute(sql`INSERT INTO products (tenant_id, id, name, sku, change_seq)
      SELECT ${tenantId}, id::uuid, 'Product ' || (${done} + ord), 'P-' || (${done} + ord), ${seq} FROM unnest(string_to_array(${ps.join(',')}, ',')) WITH ORDINALITY AS x(id, ord)`);
    await db.execute(sql`INSERT INTO variants (tenant_id, id, product_id, name, sku, change_seq)
      SELECT ${tenantId}, v::uuid, p::uuid, 'Size ' || ord, 'V-' || v, ${seq} FROM unnest(string_to_array(${vs.map((x) => x.v).join(',')}, ','), string_to_array(${vs.map((x) => x.p).join(',')}, ',')) WITH ORDINALITY AS x(v, p, ord)`);
    await db.execute(sql`INSERT INTO barcodes (tenant_id, code, variant_id)
      SELECT ${tenantId}, 'B' || ord + ${done * 3}, v::uuid FROM unnest(string_to_array(${vs.map((x) => x.v).join(',')}, ',')) WITH ORDINALITY AS x(v, ord)`);
  });
}
// What autovacuum does after a bulk load (as the owner; PGlite has no autovacuum and runs as the owner).
if (url) {
  const owner = new pg.Client({ connectionString: url });
  await owner.connect();
  await owner.query('ANALYZE');
  await owner.end();
} else await database.query('ANALYZE');
console.log(`generated ${products} products × 3 variants in ${((Date.now() - started) / 1000).toFixed(1)} s (${batch} per transaction)`);

const ctx: Ctx = { tenantId, actor: { kind: 'system', permissions: new Set(['pos:catalog:read']) }, requestId: 'bench', database, log: app.log };
const catalog = createCatalogCoreServices();
for (const round of [1, 2]) {
  const t0 = performance.now();
  let since = '0';
  let rows = 0;
  let pages = 0;
  let slowest = 0;
  for (;;) {
    const p0 = performance.now();
    const page = await catalog.changes.changes(ctx, { since, limit: 5000 });
    slowest = Math.max(slowest, performance.now() - p0);
    rows += page.changes.length;
    pages++;
    since = page.nextCursor;
    if (!page.hasMore) break;
  }
  const s = (performance.now() - t0) / 1000;
  console.log(`full sync #${round}: ${rows} changes in ${pages} pages, ${s.toFixed(2)} s (${Math.round(rows / s)} changes/s, slowest page ${slowest.toFixed(0)} ms)`);
}
const l0 = performance.now();
for (let i = 0; i < 1000; i++) await catalog.search.lookup(ctx, `B${1 + ((i * 7919) % (products * 3))}`);
console.log(`lookup by barcode: ${((performance.now() - l0) / 1000).toFixed(3)} ms per call, sequential, in-process`);
await app.close();
await database.close();
if (dataDir) rmSync(dataDir, { recursive: true, force: true });
