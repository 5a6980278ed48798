import { and, gt, sql, type SQL } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { products } from './catalog.schema.js';
import { productFilterSql, type ProductFilter } from './product.repository.js';

/**
 * The product page a register loads, rendered by PostgreSQL as JSON text in the catalog's public shape (the
 * REST product view: snake_case, timestamps RFC 3339 UTC with milliseconds, money as JSON integers — as text
 * beyond 2^53 — live variants by sort order with their barcodes and, when asked, their resolved price).
 * One statement for the page, its variants, barcodes and prices: nothing is parsed, mapped or re-serialized
 * in JavaScript. test/api/catalog/list-prices.test.ts checks it against the object path (presentProduct).
 */
const ts = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const money = (col: string) => `CASE WHEN ${col} BETWEEN -9007199254740991 AND 9007199254740991 THEN to_json(${col}) ELSE to_json(${col}::text) END`;

/** A variant's price: its price in the first of `books` (in precedence order) that has one, or null. */
const priceOf = (books: SQL): SQL => sql`(SELECT json_build_object('amount', ${sql.raw(money('pr.amount'))}, 'currency', pr.currency, 'price_book_id', pr.price_book_id)
    FROM prices pr WHERE pr.tenant_id = v.tenant_id AND pr.variant_id = v.id AND pr.price_book_id = ANY(${books})
   ORDER BY array_position(${books}, pr.price_book_id) LIMIT 1)`;

function variantsOf(books: SQL | undefined): SQL {
  return sql`coalesce((SELECT json_agg(json_build_object(
      'id', v.id, 'product_id', v.product_id, 'name', v.name, 'sku', v.sku,
      'barcodes', coalesce((SELECT json_agg(b.code ORDER BY b.code) FROM barcodes b WHERE b.tenant_id = v.tenant_id AND b.variant_id = v.id), '[]'::json),
      'options', v.options, 'cost', ${sql.raw(money('v.cost'))}, 'weight_based', v.weight_based, 'sort_order', v.sort_order, 'active', v.active,
      'archived_at', ${sql.raw(ts('v.archived_at'))}, 'created_at', ${sql.raw(ts('v.created_at'))}, 'updated_at', ${sql.raw(ts('v.updated_at'))}
      ${books ? sql`, 'price', ${priceOf(books)}` : sql``}) ORDER BY v.sort_order, v.id)
    FROM variants v WHERE v.tenant_id = p.tenant_id AND v.product_id = p.id AND v.archived_at IS NULL), '[]'::json)`;
}

/** The product `p` (a products row in scope) as JSON in the catalog's public shape, with its live variants. */
export function productJsonSql(books: SQL | undefined): SQL {
  return sql`json_build_object(
          'id', p.id, 'name', p.name, 'description', p.description, 'sku', p.sku, 'category_id', p.category_id, 'tags', p.tags,
          'tax_category_id', p.tax_category_id, 'type', p.type, 'track_stock', p.track_stock, 'active', p.active,
          'archived_at', ${sql.raw(ts('p.archived_at'))}, 'image_id', p.image_id, 'variants', ${variantsOf(books)},
          'created_at', ${sql.raw(ts('p.created_at'))}, 'updated_at', ${sql.raw(ts('p.updated_at'))})`;
}

export const productPageRepository = {
  /**
   * Up to `limit + 1` products after `after` (keyset on id), each as its JSON text. `books`: the price books
   * in precedence order (bookPrecedence) to price variants with; undefined leaves prices out.
   */
  async page(tx: TxScope, f: ProductFilter, limit: number, after: string | undefined, books: readonly string[] | undefined): Promise<{ id: string; json: string }[]> {
    const bookArray = books ? sql`${`{${books.join(',')}}`}::uuid[]` : undefined;
    const r = await tx.db.execute(sql`
      SELECT p.id, ${productJsonSql(bookArray)}::text AS json
        FROM (SELECT * FROM ${products} WHERE ${and(productFilterSql(tx, f), after ? gt(products.id, after) : undefined)}
               ORDER BY ${products.id} LIMIT ${limit + 1}) p
       ORDER BY p.id`);
    return rowsOf<{ id: string; json: string }>(r);
  },
};
