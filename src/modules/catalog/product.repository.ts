import { and, asc, eq, gt, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { TxScope } from '../../platform/context.js';
import { productOutletAvailability, products, type Product } from './catalog.schema.js';
import { variantRepository, type VariantWithBarcodes } from './variant.repository.js';

export interface ProductWithVariants extends Product {
  /** Live (unarchived) variants unless asked otherwise, by sort order. */
  variants: VariantWithBarcodes[];
}

export interface ProductFilter {
  categoryId?: string | undefined;
  active?: boolean | undefined;
  includeArchived?: boolean | undefined;
  /** Only products not marked unavailable ("86'd") at this outlet. */
  availableAt?: string | undefined;
}

export type Availability = typeof productOutletAvailability.$inferSelect;

/** The WHERE of a product list, shared by plain lists and name search. */
export function productFilterSql(tx: TxScope, f: ProductFilter): SQL | undefined {
  return and(
    eq(products.tenantId, tx.tenantId),
    f.categoryId ? eq(products.categoryId, f.categoryId) : undefined,
    f.active === undefined ? undefined : eq(products.active, f.active),
    f.includeArchived ? undefined : isNull(products.archivedAt),
    f.availableAt
      ? sql`NOT EXISTS (SELECT 1 FROM product_outlet_availability a
             WHERE a.tenant_id = ${products.tenantId} AND a.product_id = ${products.id} AND a.outlet_id = ${f.availableAt} AND NOT a.available)`
      : undefined,
  );
}

export const productRepository = {
  async insert(tx: TxScope, row: Omit<typeof products.$inferInsert, 'tenantId'>): Promise<Product> {
    const [p] = await tx.db.insert(products).values({ ...row, tenantId: tx.tenantId }).returning();
    return p!;
  },

  async byId(tx: TxScope, id: string): Promise<Product | undefined> {
    const [p] = await tx.db.select().from(products).where(and(eq(products.tenantId, tx.tenantId), eq(products.id, id)));
    return p;
  },

  async byIds(tx: TxScope, ids: readonly string[]): Promise<Product[]> {
    if (ids.length === 0) return [];
    return tx.db.select().from(products).where(and(eq(products.tenantId, tx.tenantId), inArray(products.id, [...ids])));
  },

  async list(tx: TxScope, f: ProductFilter, limit: number, after: string | undefined): Promise<Product[]> {
    return tx.db
      .select()
      .from(products)
      .where(and(productFilterSql(tx, f), after ? gt(products.id, after) : undefined))
      .orderBy(asc(products.id))
      .limit(limit + 1);
  },

  async update(tx: TxScope, id: string, patch: PgUpdateSetSource<typeof products>): Promise<Product | undefined> {
    const [p] = await tx.db
      .update(products)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(products.tenantId, tx.tenantId), eq(products.id, id)))
      .returning();
    return p;
  },

  /** Attaches variants to a page of products: one query for all of them, whatever the page size. */
  async attachVariants<P extends Product>(tx: TxScope, page: P[], includeArchivedVariants = false): Promise<(P & { variants: VariantWithBarcodes[] })[]> {
    const all = await variantRepository.forProducts(tx, page.map((p) => p.id), includeArchivedVariants);
    const byProduct = new Map<string, VariantWithBarcodes[]>();
    for (const v of all) {
      const list = byProduct.get(v.productId);
      if (list) list.push(v);
      else byProduct.set(v.productId, [v]);
    }
    return page.map((p) => ({ ...p, variants: byProduct.get(p.id) ?? [] }));
  },

  async setAvailability(tx: TxScope, row: Omit<Availability, 'tenantId' | 'updatedAt'>): Promise<Availability> {
    const [a] = await tx.db
      .insert(productOutletAvailability)
      .values({ ...row, tenantId: tx.tenantId })
      .onConflictDoUpdate({
        target: [productOutletAvailability.tenantId, productOutletAvailability.productId, productOutletAvailability.outletId],
        set: { available: row.available, reason: row.reason, changeSeq: row.changeSeq, updatedAt: sql`now()` },
      })
      .returning();
    return a!;
  },

  async availability(tx: TxScope, productId: string): Promise<Availability[]> {
    return tx.db
      .select()
      .from(productOutletAvailability)
      .where(and(eq(productOutletAvailability.tenantId, tx.tenantId), eq(productOutletAvailability.productId, productId)))
      .orderBy(asc(productOutletAvailability.outletId));
  },
};
