import type { TxScope } from '../../platform/context.js';
import { outletRepository, tenantRepository, type Outlet, type Tenant } from '../tenancy/index.js';
import { productById, variantExists, variantsByIds } from './catalog-reads.js';

/**
 * What pricing, modifiers and tax read of the rest of the catalog and of tenancy: existence of variants and
 * products (through the catalog core's reads), the tenant's currency and time zone, an outlet's time zone.
 */
export const pricingLookups = {
  /** Which of `ids` are variants of the tenant (archived ones included: a price outlives an archive). */
  async existingVariants(tx: TxScope, ids: readonly string[]): Promise<Set<string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Set();
    if (unique.length === 1) return (await variantExists(tx, unique[0]!)) ? new Set(unique) : new Set();
    return new Set((await variantsByIds(tx, unique)).map((v) => v.id));
  },

  async productExists(tx: TxScope, id: string): Promise<boolean> {
    return (await productById(tx, id)) !== undefined;
  },

  async tenant(tx: TxScope): Promise<Tenant> {
    return (await tenantRepository.byId(tx.db, tx.tenantId))!;
  },

  async outlet(tx: TxScope, id: string): Promise<Outlet | undefined> {
    return outletRepository.byId(tx, id);
  },
};
