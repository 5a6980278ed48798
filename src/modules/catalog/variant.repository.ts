import { and, asc, count, eq, gt, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { TxScope } from '../../platform/context.js';
import { foreignKeyViolation } from '../../platform/db-errors.js';
import { rowsOf } from '../../platform/db.js';
import { barcodes, variants, type Variant } from './catalog.schema.js';

export interface VariantWithBarcodes extends Variant {
  /** Normalised codes, sorted. */
  barcodes: string[];
}

/** A variant's barcodes, sorted, computed in the same query as the variant (no second round trip). */
const barcodeList: SQL<string[]> = sql<string[]>`coalesce((SELECT array_agg(b.code ORDER BY b.code) FROM barcodes b WHERE b.tenant_id = ${variants.tenantId} AND b.variant_id = ${variants.id}), '{}')`;
const withBarcodes = (tx: TxScope) => tx.db.select({ v: variants, barcodes: barcodeList }).from(variants);
const flatten = (rows: { v: Variant; barcodes: string[] }[]): VariantWithBarcodes[] => rows.map((r) => ({ ...r.v, barcodes: r.barcodes ?? [] }));

/** Live variants first by sort order, then by creation (ids are time-ordered). */
const displayOrder = [asc(variants.productId), asc(variants.sortOrder), asc(variants.id)];

export const variantRepository = {
  async insertMany(tx: TxScope, rows: Omit<typeof variants.$inferInsert, 'tenantId'>[]): Promise<Variant[]> {
    if (rows.length === 0) return [];
    return tx.db.insert(variants).values(rows.map((r) => ({ ...r, tenantId: tx.tenantId }))).returning();
  },

  async byId(tx: TxScope, id: string): Promise<VariantWithBarcodes | undefined> {
    return flatten(await withBarcodes(tx).where(and(eq(variants.tenantId, tx.tenantId), eq(variants.id, id))))[0];
  },

  async byIds(tx: TxScope, ids: readonly string[]): Promise<VariantWithBarcodes[]> {
    if (ids.length === 0) return [];
    return flatten(await withBarcodes(tx).where(and(eq(variants.tenantId, tx.tenantId), inArray(variants.id, [...ids]))));
  },

  async exists(tx: TxScope, id: string): Promise<boolean> {
    const [r] = await tx.db.select({ id: variants.id }).from(variants).where(and(eq(variants.tenantId, tx.tenantId), eq(variants.id, id)));
    return r !== undefined;
  },

  /** The variants of a page of products in one query, grouped by the caller (ordered by product, sort order). */
  async forProducts(tx: TxScope, productIds: readonly string[], includeArchived = false): Promise<VariantWithBarcodes[]> {
    if (productIds.length === 0) return [];
    return flatten(
      await withBarcodes(tx)
        .where(and(eq(variants.tenantId, tx.tenantId), inArray(variants.productId, [...productIds]), includeArchived ? undefined : isNull(variants.archivedAt)))
        .orderBy(...displayOrder),
    );
  },

  async listForProduct(tx: TxScope, productId: string, limit: number, after: string | undefined, includeArchived: boolean): Promise<VariantWithBarcodes[]> {
    return flatten(
      await withBarcodes(tx)
        .where(
          and(
            eq(variants.tenantId, tx.tenantId),
            eq(variants.productId, productId),
            after ? gt(variants.id, after) : undefined,
            includeArchived ? undefined : isNull(variants.archivedAt),
          ),
        )
        .orderBy(asc(variants.id))
        .limit(limit + 1),
    );
  },

  async update(tx: TxScope, id: string, patch: PgUpdateSetSource<typeof variants>): Promise<Variant | undefined> {
    const [v] = await tx.db
      .update(variants)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(variants.tenantId, tx.tenantId), eq(variants.id, id)))
      .returning();
    return v;
  },

  /** Active, unarchived variants of the product other than `exceptId`. */
  async countActive(tx: TxScope, productId: string, exceptId?: string): Promise<number> {
    const [r] = await tx.db
      .select({ n: count() })
      .from(variants)
      .where(
        and(
          eq(variants.tenantId, tx.tenantId),
          eq(variants.productId, productId),
          eq(variants.active, true),
          isNull(variants.archivedAt),
          exceptId ? ne(variants.id, exceptId) : undefined,
        ),
      );
    return Number(r?.n ?? 0);
  },

  async setBarcodes(tx: TxScope, variantId: string, codes: readonly string[], replace: boolean): Promise<void> {
    if (replace) await tx.db.delete(barcodes).where(and(eq(barcodes.tenantId, tx.tenantId), eq(barcodes.variantId, variantId)));
    if (codes.length) await tx.db.insert(barcodes).values(codes.map((code) => ({ tenantId: tx.tenantId, code, variantId })));
  },

  async insertBarcodes(tx: TxScope, rows: readonly { code: string; variantId: string }[]): Promise<void> {
    if (rows.length) await tx.db.insert(barcodes).values(rows.map((r) => ({ ...r, tenantId: tx.tenantId })));
  },

  // The placeholder flag (0004_catalog_core.sql) is not in the Drizzle mirror of 0003; only these three
  // statements touch it. See variant.service.ts for the rule it implements.

  async markAutoCreated(tx: TxScope, id: string): Promise<void> {
    await tx.db.execute(sql`UPDATE variants SET auto_created = true WHERE tenant_id = ${tx.tenantId} AND id = ${id}`);
  },

  /** The product's auto-created placeholder, if it is still the product's only variant and live. */
  async placeholderOf(tx: TxScope, productId: string): Promise<string | undefined> {
    const r = await tx.db.execute(sql`
      SELECT v.id FROM variants v
       WHERE v.tenant_id = ${tx.tenantId} AND v.product_id = ${productId} AND v.auto_created AND v.archived_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM variants o WHERE o.tenant_id = v.tenant_id AND o.product_id = v.product_id AND o.id <> v.id)`);
    return rowsOf<{ id: string }>(r)[0]?.id;
  },

  async clearAutoCreated(tx: TxScope, id: string): Promise<void> {
    await tx.db.execute(sql`UPDATE variants SET auto_created = false WHERE tenant_id = ${tx.tenantId} AND id = ${id} AND auto_created`);
  },

  /**
   * Deletes the variant unless something references it (a price, a modifier, an order line: the database's
   * foreign keys say so); returns whether it was deleted. A savepoint keeps a refused delete from aborting
   * the caller's transaction.
   */
  async deleteIfUnreferenced(tx: TxScope, id: string): Promise<boolean> {
    await tx.db.execute(sql`SAVEPOINT catalog_variant_delete`);
    try {
      await tx.db.delete(variants).where(and(eq(variants.tenantId, tx.tenantId), eq(variants.id, id)));
      await tx.db.execute(sql`RELEASE SAVEPOINT catalog_variant_delete`);
      return true;
    } catch (e) {
      if (!foreignKeyViolation(e)) throw e;
      await tx.db.execute(sql`ROLLBACK TO SAVEPOINT catalog_variant_delete`);
      return false;
    }
  },
};
