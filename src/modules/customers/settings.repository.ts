import { sql } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { DEFAULT_SETTINGS, type ItemRule, type LoyaltySettings, type Tier } from './loyalty-rules.js';

type Row = Record<string, unknown>;

export function settingsFromRow(r: Row): LoyaltySettings {
  return {
    phoneCountry: String(r.phone_country).trim(),
    loyaltyEnabled: Boolean(r.loyalty_enabled),
    earnPerAmount: BigInt(r.earn_per_amount as string),
    earnPoints: Number(r.earn_points),
    pointsPerVisit: Number(r.points_per_visit),
    itemRules: ((r.item_rules as { product_id?: string; category_id?: string; points: number }[]) ?? []).map((x): ItemRule => ({ productId: x.product_id, categoryId: x.category_id, points: x.points })),
    tiers: ((r.tiers as { name: string; threshold: string | number; multiplier_percent: number }[]) ?? []).map((t): Tier => ({ name: t.name, threshold: BigInt(t.threshold), multiplierPercent: t.multiplier_percent })),
    pointValue: BigInt(r.point_value as string),
    pointsExpireDays: r.points_expire_days === null || r.points_expire_days === undefined ? null : Number(r.points_expire_days),
  };
}

const json = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));

/** The tenant's customer and loyalty settings (defaults when it never saved any). */
export const settingsRepository = {
  async get(tx: TxScope): Promise<LoyaltySettings> {
    const [r] = rowsOf<Row>(await tx.db.execute(sql`SELECT * FROM customer_settings WHERE tenant_id = ${tx.tenantId}`));
    return r ? settingsFromRow(r) : DEFAULT_SETTINGS;
  },

  async put(tx: TxScope, s: LoyaltySettings): Promise<void> {
    const rules = json(s.itemRules.map((r) => ({ ...(r.productId ? { product_id: r.productId } : {}), ...(r.categoryId ? { category_id: r.categoryId } : {}), points: r.points })));
    const tiers = json(s.tiers.map((t) => ({ name: t.name, threshold: t.threshold, multiplier_percent: t.multiplierPercent })));
    await tx.db.execute(sql`
      INSERT INTO customer_settings (tenant_id, phone_country, loyalty_enabled, earn_per_amount, earn_points, points_per_visit, item_rules, tiers, point_value, points_expire_days)
      VALUES (${tx.tenantId}, ${s.phoneCountry}, ${s.loyaltyEnabled}, ${s.earnPerAmount}, ${s.earnPoints}, ${s.pointsPerVisit}, ${rules}::jsonb, ${tiers}::jsonb, ${s.pointValue}, ${s.pointsExpireDays})
      ON CONFLICT (tenant_id) DO UPDATE SET phone_country = excluded.phone_country, loyalty_enabled = excluded.loyalty_enabled, earn_per_amount = excluded.earn_per_amount,
        earn_points = excluded.earn_points, points_per_visit = excluded.points_per_visit, item_rules = excluded.item_rules, tiers = excluded.tiers,
        point_value = excluded.point_value, points_expire_days = excluded.points_expire_days, updated_at = now()`);
  },
};
