import { and, asc, eq, getTableColumns, gt, sql } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { coupons, discountLimits, promotions, type Coupon, type DiscountLimit, type Promotion } from './promotions.schema.js';

type PromotionRow = Omit<typeof promotions.$inferInsert, 'tenantId'>;
type CouponRow = Omit<typeof coupons.$inferInsert, 'tenantId'>;

/** Promotions, coupons and discount limits: SQL only; every query names the tenant. */
export const promotionRepository = {
  /** Bumps the tenant's promotions version (cached copies reload): in the transaction of every promotion write. */
  async bumpVersion(tx: TxScope): Promise<void> {
    await tx.db.execute(sql`INSERT INTO promotion_state (tenant_id, version) VALUES (${tx.tenantId}, 1) ON CONFLICT (tenant_id) DO UPDATE SET version = promotion_state.version + 1`);
  },

  async insert(tx: TxScope, row: PromotionRow): Promise<Promotion> {
    const [p] = await tx.db.insert(promotions).values({ ...row, tenantId: tx.tenantId }).returning();
    return p!;
  },

  async byId(tx: TxScope, id: string): Promise<Promotion | undefined> {
    const [p] = await tx.db.select().from(promotions).where(and(eq(promotions.tenantId, tx.tenantId), eq(promotions.id, id)));
    return p;
  },

  async list(tx: TxScope, limit: number, after: string | undefined, active: boolean | undefined): Promise<Promotion[]> {
    return tx.db
      .select()
      .from(promotions)
      .where(and(eq(promotions.tenantId, tx.tenantId), after ? gt(promotions.id, after) : undefined, active === undefined ? undefined : eq(promotions.active, active)))
      .orderBy(asc(promotions.id))
      .limit(limit + 1);
  },

  async update(tx: TxScope, id: string, patch: Partial<PromotionRow>): Promise<Promotion | undefined> {
    const [p] = await tx.db
      .update(promotions)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(promotions.tenantId, tx.tenantId), eq(promotions.id, id)))
      .returning();
    return p;
  },

  /** Every active promotion with the tenant's version, read in one statement (so the two agree). */
  async active(tx: TxScope): Promise<{ version: number; rows: Promotion[] }> {
    const rows = await tx.db
      .select({ p: getTableColumns(promotions), version: sql<string | number | null>`(SELECT version FROM promotion_state WHERE tenant_id = ${tx.tenantId})` })
      .from(promotions)
      .where(and(eq(promotions.tenantId, tx.tenantId), eq(promotions.active, true)))
      .orderBy(asc(promotions.id));
    return { version: Number(rows[0]?.version ?? 0), rows: rows.map((r) => r.p) };
  },

  // ---- coupons ----

  async insertCoupon(tx: TxScope, row: CouponRow): Promise<Coupon> {
    const [c] = await tx.db.insert(coupons).values({ ...row, tenantId: tx.tenantId }).returning();
    return c!;
  },

  /** Inserts the coupons whose codes are free; returns those inserted. */
  async insertCoupons(tx: TxScope, rows: readonly CouponRow[]): Promise<Coupon[]> {
    if (rows.length === 0) return [];
    return tx.db
      .insert(coupons)
      .values(rows.map((r) => ({ ...r, tenantId: tx.tenantId })))
      .onConflictDoNothing({ target: [coupons.tenantId, coupons.code] })
      .returning();
  },

  async couponById(tx: TxScope, id: string): Promise<Coupon | undefined> {
    const [c] = await tx.db.select().from(coupons).where(and(eq(coupons.tenantId, tx.tenantId), eq(coupons.id, id)));
    return c;
  },

  async couponByCode(tx: TxScope, code: string): Promise<Coupon | undefined> {
    const [c] = await tx.db.select().from(coupons).where(and(eq(coupons.tenantId, tx.tenantId), eq(coupons.code, code)));
    return c;
  },

  async listCoupons(tx: TxScope, limit: number, after: string | undefined, f: { promotionId?: string | undefined; code?: string | undefined }): Promise<Coupon[]> {
    return tx.db
      .select()
      .from(coupons)
      .where(
        and(
          eq(coupons.tenantId, tx.tenantId),
          after ? gt(coupons.id, after) : undefined,
          f.promotionId ? eq(coupons.promotionId, f.promotionId) : undefined,
          f.code ? eq(coupons.code, f.code.toUpperCase()) : undefined,
        ),
      )
      .orderBy(asc(coupons.id))
      .limit(limit + 1);
  },

  async updateCoupon(tx: TxScope, id: string, patch: Partial<CouponRow>): Promise<Coupon | undefined> {
    const [c] = await tx.db
      .update(coupons)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(coupons.tenantId, tx.tenantId), eq(coupons.id, id)))
      .returning();
    return c;
  },

  // ---- discount limits ----

  async discountLimits(tx: TxScope): Promise<DiscountLimit[]> {
    return tx.db.select().from(discountLimits).where(eq(discountLimits.tenantId, tx.tenantId)).orderBy(asc(discountLimits.roleKey));
  },

  async putDiscountLimit(tx: TxScope, roleKey: string, v: { maxRateBp: number | null; maxAmount: bigint | null }): Promise<DiscountLimit> {
    const [row] = await tx.db
      .insert(discountLimits)
      .values({ tenantId: tx.tenantId, roleKey, ...v })
      .onConflictDoUpdate({ target: [discountLimits.tenantId, discountLimits.roleKey], set: { ...v, updatedAt: sql`now()` } })
      .returning();
    return row!;
  },
};
