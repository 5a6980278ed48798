import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { sql } from 'drizzle-orm';
import { requirePermission, withTransaction, type Ctx } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { currencyExponent } from '../../platform/money.js';
import { CSV_COLUMNS, formatMoney, joinCategoryPath, OPTION_PREFIX } from './catalog-csv.js';

/** Products per query: each batch is its own short transaction, so a slow client holds no connection. */
const EXPORT_BATCH = 1000;

type Row = {
  id: string;
  sku: string | null;
  name: string;
  description: string | null;
  category_id: string | null;
  tags: string[];
  type: string;
  tax_code: string | null;
  track_stock: boolean;
  active: boolean;
  variant_id: string | null;
  variant_sku: string | null;
  variant_name: string | null;
  options: Record<string, string> | null;
  barcodes: string | null;
  cost: unknown;
  price: unknown;
  weight_based: boolean | null;
  variant_active: boolean | null;
};

const bool = (b: boolean | null) => (b === null ? '' : String(b));
const money = (v: unknown, exponent: number) => (v === null || v === undefined ? '' : formatMoney(BigInt(String(v)), exponent));

/**
 * The catalog as CSV in the import's format (catalog-csv.ts): every product that is not archived, one row per
 * live variant, with ids so that a re-import matches rows by id. Importing an unchanged export changes nothing.
 */
export class CatalogExportService {
  /** The rows as arrays of cells, header first, read in batches of products (keyset by id). */
  async rows(ctx: Ctx): Promise<AsyncGenerator<string[]>> {
    requirePermission(ctx, 'pos:catalog:read');
    const t = ctx.tenantId;
    const setup = await withTransaction(ctx, async (tx) => {
      const q = async <R>(s: ReturnType<typeof sql>) => rowsOf<R>(await tx.db.execute(s));
      const [tenant] = await q<{ currency: string }>(sql`SELECT currency FROM tenants WHERE id = ${t}`);
      const [book] = await q<{ id: string }>(sql`SELECT id FROM price_books WHERE tenant_id = ${t} AND is_default`);
      const keys = await q<{ key: string }>(sql`SELECT DISTINCT k AS key FROM variants, jsonb_object_keys(options) AS k WHERE tenant_id = ${t} AND archived_at IS NULL ORDER BY 1`);
      const categories = await q<{ id: string; parent_id: string | null; name: string }>(sql`SELECT id, parent_id, name FROM categories WHERE tenant_id = ${t}`);
      return { exponent: currencyExponent(tenant!.currency), bookId: book?.id ?? null, optionKeys: keys.map((k) => k.key), categories };
    });
    const byId = new Map(setup.categories.map((c) => [c.id, c]));
    const paths = new Map<string, string>();
    const pathOf = (id: string | null): string => {
      if (!id) return '';
      let path = paths.get(id);
      if (path === undefined) {
        const names: string[] = [];
        for (let c = byId.get(id); c && names.length < 20; c = c.parent_id ? byId.get(c.parent_id) : undefined) names.unshift(c.name);
        path = joinCategoryPath(names);
        paths.set(id, path);
      }
      return path;
    };

    return (async function* () {
      yield [...CSV_COLUMNS, ...setup.optionKeys.map((k) => `${OPTION_PREFIX}${k}`)];
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const batch = await withTransaction(ctx, async (tx) =>
          rowsOf<Row>(
            await tx.db.execute(sql`
              SELECT p.id, p.sku, p.name, p.description, p.category_id, p.tags, p.type, tc.code AS tax_code, p.track_stock, p.active,
                     v.id AS variant_id, v.sku AS variant_sku, v.name AS variant_name, v.options, v.cost, v.weight_based, v.active AS variant_active,
                     (SELECT string_agg(b.code, '|' ORDER BY b.code) FROM barcodes b WHERE b.tenant_id = ${t} AND b.variant_id = v.id) AS barcodes,
                     pr.amount AS price
              FROM (SELECT * FROM products WHERE tenant_id = ${t} AND archived_at IS NULL AND id > ${after} ORDER BY id LIMIT ${EXPORT_BATCH}) p
              LEFT JOIN tax_categories tc ON tc.tenant_id = ${t} AND tc.id = p.tax_category_id
              LEFT JOIN variants v ON v.tenant_id = ${t} AND v.product_id = p.id AND v.archived_at IS NULL
              LEFT JOIN prices pr ON pr.tenant_id = ${t} AND pr.price_book_id = ${setup.bookId} AND pr.variant_id = v.id
              ORDER BY p.id, v.sort_order, v.id`),
          ),
        );
        if (batch.length === 0) return;
        for (const r of batch) {
          const cells: Record<(typeof CSV_COLUMNS)[number], string> = {
            product_id: r.id,
            product_sku: r.sku ?? '',
            product_name: r.name,
            description: r.description ?? '',
            category: pathOf(r.category_id),
            tags: r.tags.join('|'),
            type: r.type,
            tax_category: r.tax_code ?? '',
            track_stock: bool(r.track_stock),
            active: bool(r.active),
            variant_id: r.variant_id ?? '',
            variant_sku: r.variant_sku ?? '',
            variant_name: r.variant_name ?? '',
            barcodes: r.barcodes ?? '',
            cost: money(r.cost, setup.exponent),
            price: money(r.price, setup.exponent),
            weight_based: bool(r.weight_based),
            variant_active: bool(r.variant_active),
          };
          yield [...CSV_COLUMNS.map((c) => cells[c]), ...setup.optionKeys.map((k) => r.options?.[k] ?? '')];
        }
        after = batch[batch.length - 1]!.id;
        if (new Set(batch.map((r) => r.id)).size < EXPORT_BATCH) return;
      }
    })();
  }

  /**
   * The CSV text as a stream (RFC 4180: quoted where needed, CRLF between records). Permission and the first
   * queries are checked before it resolves, so a refusal is an ordinary error response, not a cut stream.
   */
  async stream(ctx: Ctx): Promise<Readable> {
    const rows = await this.rows(ctx);
    const csv = stringify({ record_delimiter: 'windows' });
    pipeline(Readable.from(rows), csv, (e) => {
      if (e) ctx.log.error({ err: e }, 'catalog export failed while streaming');
    });
    return csv;
  }
}
