/**
 * Generates one tenant's catalog for the catalog bench, set-based inside PostgreSQL: `products` products ×
 * 3 variants (Small/Medium/Large, option size), a 13-digit barcode per variant, a default-book price per
 * variant, 50 categories in two levels. Each chunk of products is one catalog transaction (one change_seq),
 * as a bulk import writes them; rows come from generate_series, so nothing but SQL crosses the wire.
 *
 * Ids are UUIDv7-shaped (time-ordered like the API's) and derived from the row number, so product and
 * variant ids are recomputed rather than shipped: bench_uuid(ms, seed) is installed for the run.
 */
import pg from 'pg';
import { provisionTenant } from '../../src/flows/provision-tenant.js';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/platform/config.js';
import { openDatabase } from '../../src/platform/db.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { createLogger } from '../../src/platform/logger.js';
import { migrate } from '../../src/platform/migrate.js';

export interface GeneratedCatalog {
  tenantId: string;
  devHeaders: Record<string, string>;
  products: number;
  variants: number;
  seconds: number;
  /** Barcodes of variant k (0-2) of product n: 899 + 10 digits of n*3+k. */
  barcodeOf(n: number, k: number): string;
}

const SIZES = ['Small', 'Medium', 'Large'];
const WORDS = ['Latte', 'Mocha', 'Teh', 'Kopi', 'Susu', 'Roti', 'Nasi', 'Mie', 'Ayam', 'Sapi', 'Keju', 'Coklat', 'Vanila', 'Gula', 'Aren', 'Pandan'];
export const barcodeOf = (n: number, k: number): string => `899${String(n * 3 + k).padStart(10, '0')}`;

/** Migrates `url`, provisions a tenant, and fills its catalog; returns how to call the API as its owner. */
export async function generateCatalog(url: string, products: number, chunk: number, log: (m: string) => void): Promise<GeneratedCatalog> {
  const database = await openDatabase({ url, dataDir: '', poolSize: 2, appRole: 'kasir_app', beforeRoleSwitch: (q) => migrate(q).then(() => undefined) });
  const app = await createApp(loadConfig({ DATABASE_URL: url, POS_LOG_LEVEL: 'silent', POS_JOBS_ENABLED: 'false' }), createLogger('silent'), { migrate: false, database });
  const userId = uuidv7();
  const membershipId = uuidv7();
  const t = await provisionTenant(
    { database, tenants: app.services.tenants, access: app.services.access, log: app.log },
    { slug: `bench-${Date.now()}`, name: 'Bench merchant', currency: 'IDR', owner: { user_id: userId, membership_id: membershipId, display_name: 'Owner' } },
  );
  await app.close();
  await database.close();
  const tenantId = t.tenant.id;

  // Bulk load as the database owner: row-level security does not apply to it, and nothing here is tenant input.
  const owner = new pg.Client({ connectionString: url });
  await owner.connect();
  const started = performance.now();
  try {
    await owner.query(`
      CREATE OR REPLACE FUNCTION bench_uuid(ms bigint, seed text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
        SELECT (substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7' || substr(r, 1, 3) || '-8' || substr(r, 4, 3) || '-' || substr(r, 7, 12))::uuid
        FROM (SELECT lpad(to_hex(ms), 12, '0') AS h, md5(seed) AS r) x $$`);
    const base = Date.now() - products;
    const tick = async () => Number((await owner.query(`INSERT INTO catalog_clocks (tenant_id, seq) VALUES ($1, 1) ON CONFLICT (tenant_id) DO UPDATE SET seq = catalog_clocks.seq + 1 RETURNING seq`, [tenantId])).rows[0].seq);

    await owner.query('BEGIN');
    const seq0 = await tick();
    await owner.query(
      `INSERT INTO categories (tenant_id, id, parent_id, name, sort_order, change_seq)
       SELECT $1, bench_uuid($2::bigint + g, 'c' || g), NULL, 'Group ' || g, g, $3 FROM generate_series(0, 9) g`,
      [tenantId, base - 100, seq0],
    );
    await owner.query(
      `INSERT INTO categories (tenant_id, id, parent_id, name, sort_order, change_seq)
       SELECT $1, bench_uuid($2::bigint + 10 + g, 'c' || (10 + g)), bench_uuid($2::bigint + g % 10, 'c' || (g % 10)), 'Shelf ' || g, g, $3 FROM generate_series(0, 39) g`,
      [tenantId, base - 100, seq0],
    );
    const bookId = uuidv7();
    await owner.query(`INSERT INTO price_books (tenant_id, id, name, is_default, currency, priority, change_seq) VALUES ($1, $2, 'Default', true, 'IDR', 0, $3)`, [tenantId, bookId, seq0]);
    await owner.query('COMMIT');

    const words = `ARRAY[${WORDS.map((w) => `'${w}'`).join(',')}]`;
    const sizes = `ARRAY[${SIZES.map((w) => `'${w}'`).join(',')}]`;
    for (let from = 0; from < products; from += chunk) {
      const to = Math.min(products, from + chunk) - 1;
      await owner.query('BEGIN');
      const seq = await tick();
      const args = [tenantId, base, from, to, seq];
      await owner.query(
        `INSERT INTO products (tenant_id, id, name, sku, category_id, tags, change_seq)
         SELECT $1, bench_uuid($2::bigint + n, 'p' || n), (${words})[1 + n % 16] || ' ' || (${words})[1 + (n / 16) % 16] || ' ' || n, 'P' || n,
                bench_uuid($2::bigint - 100 + 10 + n % 40, 'c' || (10 + n % 40)), '{}', $5
         FROM generate_series($3::int, $4::int) n`,
        args,
      );
      await owner.query(
        `INSERT INTO variants (tenant_id, id, product_id, name, sku, options, cost, sort_order, change_seq)
         SELECT $1, bench_uuid($2::bigint + n, 'v' || n || '-' || k), bench_uuid($2::bigint + n, 'p' || n), (${sizes})[k + 1], 'P' || n || '-' || k,
                jsonb_build_object('size', (${sizes})[k + 1]), (5000 + n % 300 * 100) * 100, k, $5
         FROM generate_series($3::int, $4::int) n, generate_series(0, 2) k`,
        args,
      );
      await owner.query(
        `INSERT INTO barcodes (tenant_id, code, variant_id)
         SELECT $1, '899' || lpad((n * 3 + k)::text, 10, '0'), bench_uuid($2::bigint + n, 'v' || n || '-' || k)
         FROM generate_series($3::int, $4::int) n, generate_series(0, 2) k`,
        [tenantId, base, from, to],
      );
      await owner.query(
        `INSERT INTO prices (tenant_id, price_book_id, variant_id, amount, currency, change_seq)
         SELECT $1, $6, bench_uuid($2::bigint + n, 'v' || n || '-' || k), (10000 + n % 500 * 100 + k * 5000) * 100, 'IDR', $5
         FROM generate_series($3::int, $4::int) n, generate_series(0, 2) k`,
        [...args, bookId],
      );
      await owner.query('COMMIT');
      if ((to + 1) % (chunk * 10) === 0 || to + 1 === products) log(`  generated ${to + 1} products`);
    }
    // What autovacuum would do after a bulk load: statistics for the planner, visibility for index-only scans.
    await owner.query('VACUUM (ANALYZE)');
  } finally {
    await owner.end();
  }
  return {
    tenantId,
    devHeaders: { 'x-dev-tenant-id': tenantId, 'x-dev-user-id': userId, 'x-dev-membership-id': membershipId },
    products,
    variants: products * 3,
    seconds: (performance.now() - started) / 1000,
    barcodeOf,
  };
}

/**
 * The catalog a `--keep` run left in `<base>_<suffix>`, to measure again on the same rows (before/after a
 * change) without generating it anew; undefined when there is none.
 */
export async function reuseCatalog(base: string, suffix: string): Promise<{ url: string; catalog: GeneratedCatalog } | undefined> {
  const u = new URL(base);
  u.pathname = `/${`${u.pathname.slice(1) || 'kasir_test'}_${suffix}`.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`;
  const url = u.toString();
  const owner = new pg.Client({ connectionString: url });
  try {
    await owner.connect();
  } catch {
    return undefined;
  }
  try {
    const r = await owner.query<{ tenant_id: string; user_id: string; membership_id: string; products: string }>(
      `SELECT t.id AS tenant_id, m.user_id, m.id AS membership_id, (SELECT count(*) FROM products p WHERE p.tenant_id = t.id AND p.sku LIKE 'P%') AS products
         FROM tenants t JOIN memberships m ON m.tenant_id = t.id WHERE t.slug LIKE 'bench-%' ORDER BY t.created_at DESC LIMIT 1`,
    );
    const row = r.rows[0];
    if (!row) return undefined;
    const products = Number(row.products);
    return {
      url,
      catalog: {
        tenantId: row.tenant_id,
        devHeaders: { 'x-dev-tenant-id': row.tenant_id, 'x-dev-user-id': row.user_id, 'x-dev-membership-id': row.membership_id },
        products,
        variants: products * 3,
        seconds: 0,
        barcodeOf,
      },
    };
  } finally {
    await owner.end();
  }
}
