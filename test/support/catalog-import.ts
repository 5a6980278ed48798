import { sql } from 'drizzle-orm';
import type { App } from '../../src/app.js';
import { catalogImportRoutes } from '../../src/adapters/http/routes/catalog-import.routes.js';
import type { RouteModule } from '../../src/adapters/http/server.js';
import { CatalogExportService, CatalogImportService, tickCatalogClock } from '../../src/modules/catalog/index.js';
import { rowsOf } from '../../src/platform/db.js';
import { uuidv7 } from '../../src/platform/ids.js';

/** The import/export routes, as server.ts will wire them. */
export const catalogImportRouteModule: RouteModule = (r, app) => catalogImportRoutes(r, app, { imports: new CatalogImportService(), exports: new CatalogExportService() });

/** Lines → CSV text (cells are given already quoted where needed). */
export const csv = (...lines: string[]) => lines.join('\n') + '\n';

export async function postCsv(baseUrl: string, headers: Record<string, string>, body: string, dryRun: boolean, contentType = 'text/csv') {
  const res = await fetch(`${baseUrl}/api/v1/catalog/import?dry_run=${dryRun}`, { method: 'POST', headers: { ...headers, 'content-type': contentType }, body });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert on whatever JSON the route returns
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
}

export async function exportCsv(baseUrl: string, headers: Record<string, string>) {
  const res = await fetch(`${baseUrl}/api/v1/catalog/export`, { headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Reads with the tenant's row-level security, as the services do. */
export async function tenantQuery<R>(app: App, tenantId: string, q: ReturnType<typeof sql>): Promise<R[]> {
  return app.database.transaction(tenantId, async (db) => rowsOf<R>(await db.execute(q)));
}

/** The tenant's variants with their product, barcodes and default price, by variant SKU or name. */
export async function catalogOf(app: App, tenantId: string) {
  return tenantQuery<{ product_sku: string | null; product_name: string; category: string | null; variant_sku: string | null; variant_name: string; barcodes: string | null; price: string | number | null; cost: string | number | null; options: Record<string, string> }>(
    app,
    tenantId,
    sql`SELECT p.sku AS product_sku, p.name AS product_name, c.name AS category, v.sku AS variant_sku, v.name AS variant_name, v.options, v.cost,
          (SELECT string_agg(code, '|' ORDER BY code) FROM barcodes b WHERE b.tenant_id = v.tenant_id AND b.variant_id = v.id) AS barcodes,
          (SELECT amount FROM prices pr JOIN price_books pb ON pb.tenant_id = pr.tenant_id AND pb.id = pr.price_book_id AND pb.is_default WHERE pr.tenant_id = v.tenant_id AND pr.variant_id = v.id) AS price
        FROM variants v JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id LEFT JOIN categories c ON c.tenant_id = p.tenant_id AND c.id = p.category_id
        WHERE v.tenant_id = ${tenantId} ORDER BY p.sku, v.sort_order, v.name`,
  );
}

/** A tax category with this code, written directly (tax rules are another service). */
export async function seedTaxCategory(app: App, tenantId: string, code: string): Promise<string> {
  const id = uuidv7();
  await app.database.transaction(tenantId, async (db) => {
    const seq = await tickCatalogClock({ db, tenantId });
    await db.execute(sql`INSERT INTO tax_categories (tenant_id, id, code, name, change_seq) VALUES (${tenantId}, ${id}, ${code}, ${code}, ${seq})`);
  });
  return id;
}
