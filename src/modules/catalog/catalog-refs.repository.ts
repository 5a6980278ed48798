import { sql } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';

export interface RefQuery {
  categoryId?: string | null | undefined;
  taxCategoryId?: string | null | undefined;
  imageId?: string | null | undefined;
  outletId?: string | null | undefined;
}

/** For each reference asked: whether it exists in the tenant ('archived' for an archived category). */
export interface RefState {
  category?: 'ok' | 'archived' | 'missing';
  taxCategory?: boolean;
  image?: boolean;
  outlet?: boolean;
}

const given = (v: string | null | undefined): v is string => typeof v === 'string';

/** Lookups the catalog services need to validate references and uniqueness, each in one round trip. */
export const catalogRefRepository = {
  async refs(tx: TxScope, q: RefQuery): Promise<RefState> {
    const t = tx.tenantId;
    const cols = [
      given(q.categoryId) ? sql`(SELECT CASE WHEN archived_at IS NULL THEN 'ok' ELSE 'archived' END FROM categories WHERE tenant_id = ${t} AND id = ${q.categoryId}) AS category` : sql`NULL AS category`,
      given(q.taxCategoryId) ? sql`EXISTS (SELECT 1 FROM tax_categories WHERE tenant_id = ${t} AND id = ${q.taxCategoryId}) AS tax_category` : sql`NULL AS tax_category`,
      given(q.imageId) ? sql`EXISTS (SELECT 1 FROM images WHERE tenant_id = ${t} AND id = ${q.imageId}) AS image` : sql`NULL AS image`,
      given(q.outletId) ? sql`EXISTS (SELECT 1 FROM outlets WHERE tenant_id = ${t} AND id = ${q.outletId}) AS outlet` : sql`NULL AS outlet`,
    ];
    const [row] = rowsOf<{ category: 'ok' | 'archived' | null; tax_category: boolean | null; image: boolean | null; outlet: boolean | null }>(
      await tx.db.execute(sql`SELECT ${sql.join(cols, sql`, `)}`),
    );
    const s: RefState = {};
    if (given(q.categoryId)) s.category = row?.category ?? 'missing';
    if (given(q.taxCategoryId)) s.taxCategory = Boolean(row?.tax_category);
    if (given(q.imageId)) s.image = Boolean(row?.image);
    if (given(q.outletId)) s.outlet = Boolean(row?.outlet);
    return s;
  },

  /**
   * Who holds each of `skus`, products and variants alike (one indexed probe per table), leaving out the
   * rows in `except` (the product or variant being updated).
   */
  async skuHolders(tx: TxScope, skus: readonly string[], except: readonly string[] = []): Promise<{ sku: string; kind: 'product' | 'variant'; id: string }[]> {
    if (skus.length === 0) return [];
    const list = sql.join(skus.map((s) => sql`${s}`), sql`, `);
    const skip = except.length ? sql`AND id NOT IN (${sql.join(except.map((e) => sql`${e}::uuid`), sql`, `)})` : sql``;
    const r = await tx.db.execute(sql`
      SELECT sku, 'product' AS kind, id FROM products WHERE tenant_id = ${tx.tenantId} AND sku IN (${list}) ${skip}
      UNION ALL
      SELECT sku, 'variant' AS kind, id FROM variants WHERE tenant_id = ${tx.tenantId} AND sku IN (${list}) ${skip}`);
    return rowsOf(r);
  },

  /** Which of `codes` are barcodes of variants other than `exceptVariantId`. */
  async barcodeHolders(tx: TxScope, codes: readonly string[], exceptVariantId?: string): Promise<{ code: string; variant_id: string }[]> {
    if (codes.length === 0) return [];
    const r = await tx.db.execute(sql`
      SELECT code, variant_id FROM barcodes
       WHERE tenant_id = ${tx.tenantId} AND code IN (${sql.join(codes.map((c) => sql`${c}`), sql`, `)})
         ${exceptVariantId ? sql`AND variant_id <> ${exceptVariantId}` : sql``}`);
    return rowsOf(r);
  },
};
