import { and, eq, inArray } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { outletRepository, tenantRepository, type Outlet, type Tenant } from '../tenancy/index.js';
import { products, variants } from './catalog.schema.js';

/**
 * What pricing, modifiers and tax read of the rest of the catalog and of tenancy: existence of variants and
 * products, the tenant's currency and time zone, an outlet's time zone. Kept here, small, so the pricing
 * files do not depend on the product and variant services' internals.
 */
export const pricingLookups = {
  /** Which of `ids` are variants of the tenant (archived ones included: a price outlives an archive). */
  async existingVariants(tx: TxScope, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await tx.db
      .select({ id: variants.id })
      .from(variants)
      .where(and(eq(variants.tenantId, tx.tenantId), inArray(variants.id, [...new Set(ids)])));
    return new Set(rows.map((r) => r.id));
  },

  async productExists(tx: TxScope, id: string): Promise<boolean> {
    const [r] = await tx.db.select({ id: products.id }).from(products).where(and(eq(products.tenantId, tx.tenantId), eq(products.id, id)));
    return r !== undefined;
  },

  async tenant(tx: TxScope): Promise<Tenant> {
    return (await tenantRepository.byId(tx.db, tx.tenantId))!;
  },

  async outlet(tx: TxScope, id: string): Promise<Outlet | undefined> {
    return outletRepository.byId(tx, id);
  },
};
