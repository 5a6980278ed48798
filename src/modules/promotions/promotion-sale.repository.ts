import { sql } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { NIL_UUID, preparedRows } from '../../platform/prepared.js';

/**
 * The statements a sale runs for promotions, each ONE round trip: what the sale needs to know (the tenant's
 * promotions version, the lines' categories, the coupons presented), and the guarded writes that reserve,
 * confirm and release uses.
 */

export interface SaleCoupon {
  id: string;
  code: string;
  promotionId: string;
  active: boolean;
  promotionActive: boolean;
  outletIds: string[];
  maxRedemptions: number | null;
  redeemedCount: number;
  perCustomerLimit: number | null;
  firstOrderOnly: boolean;
  startsAt: Date | null;
  expiresAt: Date | null;
  /** This customer's reserved or confirmed uses of the code (0 without a customer). */
  customerUses: number;
}

export interface SaleFacts {
  version: number;
  categories: Map<string, string | null>;
  coupons: SaleCoupon[];
  /** Codes a DRAFT was given (for finalize). */
  storedCodes: string[];
}

type J = Record<string, unknown>;
const json = (v: unknown): string => JSON.stringify(v);
const dateOf = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));

export async function loadSaleFacts(tx: TxScope, q: { productIds: readonly string[]; codes: readonly string[]; orderId: string | null; customerId: string | null }): Promise<SaleFacts> {
  const t = tx.tenantId;
  const [row] = await preparedRows<{ version: string | number | null; categories: [string, string | null][]; coupons: J[]; stored: string[] }>(
    tx,
    'promo_sale_facts',
    sql`
      WITH stored AS (SELECT code FROM order_coupons WHERE tenant_id = ${t} AND order_id = ${q.orderId ?? NIL_UUID}::uuid),
           wanted AS (SELECT value AS code FROM jsonb_array_elements_text(${json(q.codes)}::jsonb) UNION SELECT code FROM stored)
      SELECT
        (SELECT version FROM promotion_state WHERE tenant_id = ${t}) AS version,
        (SELECT coalesce(jsonb_agg(jsonb_build_array(p.id, p.category_id)), '[]'::jsonb) FROM products p
          WHERE p.tenant_id = ${t} AND p.id IN (SELECT value::uuid FROM jsonb_array_elements_text(${json(q.productIds)}::jsonb))) AS categories,
        (SELECT coalesce(jsonb_agg(code), '[]'::jsonb) FROM stored) AS stored,
        (SELECT coalesce(jsonb_agg(jsonb_build_object(
            'id', c.id, 'code', c.code, 'promotion_id', c.promotion_id, 'active', c.active, 'promotion_active', pr.active,
            'outlet_ids', pr.outlet_ids, 'max_redemptions', c.max_redemptions, 'redeemed_count', c.redeemed_count,
            'per_customer_limit', c.per_customer_limit, 'first_order_only', c.first_order_only, 'starts_at', c.starts_at, 'expires_at', c.expires_at,
            'customer_uses', CASE WHEN c.per_customer_limit IS NULL THEN 0 ELSE (SELECT count(*) FROM coupon_redemptions r
               WHERE r.tenant_id = ${t} AND r.coupon_id = c.id AND r.customer_id = ${q.customerId ?? NIL_UUID}::uuid AND r.status <> 'RELEASED') END)), '[]'::jsonb)
          FROM coupons c JOIN promotions pr ON pr.tenant_id = c.tenant_id AND pr.id = c.promotion_id
          WHERE c.tenant_id = ${t} AND c.code IN (SELECT code FROM wanted)) AS coupons`,
  );
  return {
    version: Number(row?.version ?? 0),
    categories: new Map((row?.categories ?? []).map(([p, c]) => [p, c])),
    storedCodes: row?.stored ?? [],
    coupons: (row?.coupons ?? []).map((c) => ({
      id: c.id as string,
      code: c.code as string,
      promotionId: c.promotion_id as string,
      active: c.active as boolean,
      promotionActive: c.promotion_active as boolean,
      outletIds: (c.outlet_ids as string[]) ?? [],
      maxRedemptions: (c.max_redemptions as number | null) ?? null,
      redeemedCount: Number(c.redeemed_count),
      perCustomerLimit: (c.per_customer_limit as number | null) ?? null,
      firstOrderOnly: c.first_order_only as boolean,
      startsAt: dateOf(c.starts_at),
      expiresAt: dateOf(c.expires_at),
      customerUses: Number(c.customer_uses ?? 0),
    })),
  };
}

export interface Reservation {
  orderId: string;
  customerId: string | null;
  status: 'RESERVED' | 'CONFIRMED';
  couponIds: readonly string[];
  /** Promotions with a usage limit that the order uses. */
  limitedPromotionIds: readonly string[];
  lines: readonly { item_id: string; promotion_id: string; coupon_id: string | null; name: string; amount: string }[];
  redemptionIds: readonly string[];
}

/**
 * Reserves the order's coupon and promotion uses and records what each promotion took off each line, in one
 * statement. Each counter moves only while under its limit (guarded UPDATE: of two registers taking the last
 * use at once, the second waits for the first's row lock and then finds no use left). Returns what it could
 * reserve: the caller refuses the sale (rolling this back) when that is less than asked.
 */
export async function reserveUses(tx: TxScope, r: Reservation): Promise<{ coupons: string[]; promotions: string[] }> {
  const t = tx.tenantId;
  const [row] = await preparedRows<{ coupons: string[] | null; promotions: string[] | null }>(
    tx,
    'promo_reserve',
    sql`
      WITH c AS (
        UPDATE coupons SET redeemed_count = redeemed_count + 1, updated_at = now()
         WHERE tenant_id = ${t} AND id IN (SELECT value::uuid FROM jsonb_array_elements_text(${json(r.couponIds)}::jsonb))
           AND (max_redemptions IS NULL OR redeemed_count < max_redemptions)
        RETURNING id),
      p AS (
        UPDATE promotions SET usage_count = usage_count + 1
         WHERE tenant_id = ${t} AND id IN (SELECT value::uuid FROM jsonb_array_elements_text(${json(r.limitedPromotionIds)}::jsonb))
           AND usage_count < usage_limit
        RETURNING id, usage_count = usage_limit AS now_full),
      red AS (
        INSERT INTO coupon_redemptions (tenant_id, id, coupon_id, order_id, customer_id, status)
        SELECT ${t}, (${json(r.redemptionIds)}::jsonb ->> (row_number() OVER (ORDER BY c.id) - 1)::int)::uuid, c.id, ${r.orderId}::uuid, ${r.customerId}::uuid, ${r.status} FROM c
        RETURNING 1),
      lines AS (
        INSERT INTO order_item_promotions (tenant_id, order_id, order_item_id, promotion_id, coupon_id, name, amount)
        SELECT ${t}, ${r.orderId}::uuid, x.item_id, x.promotion_id, x.coupon_id, x.name, x.amount
          FROM jsonb_to_recordset(${json(r.lines)}::jsonb) AS x(item_id uuid, promotion_id uuid, coupon_id uuid, name text, amount bigint)
        RETURNING 1),
      v AS (UPDATE promotion_state SET version = version + 1 WHERE tenant_id = ${t} AND EXISTS (SELECT 1 FROM p WHERE now_full) RETURNING 1)
      SELECT (SELECT array_agg(id::text) FROM c) AS coupons, (SELECT array_agg(id::text) FROM p) AS promotions,
             (SELECT count(*) FROM red) + (SELECT count(*) FROM lines) + (SELECT count(*) FROM v) AS written`,
  );
  return { coupons: row?.coupons ?? [], promotions: row?.promotions ?? [] };
}

/** The order completed: its reserved coupon uses become confirmed. */
export async function confirmUses(tx: TxScope, orderId: string): Promise<void> {
  await preparedRows(tx, 'promo_confirm', sql`UPDATE coupon_redemptions SET status = 'CONFIRMED', updated_at = now() WHERE tenant_id = ${tx.tenantId} AND order_id = ${orderId} AND status = 'RESERVED' RETURNING 1`);
}

/** The order was voided: its reserved coupon and promotion uses are given back, in one statement. */
export async function releaseUses(tx: TxScope, orderId: string): Promise<void> {
  const t = tx.tenantId;
  await preparedRows(
    tx,
    'promo_release',
    sql`
      WITH r AS (
        UPDATE coupon_redemptions SET status = 'RELEASED', updated_at = now()
         WHERE tenant_id = ${t} AND order_id = ${orderId} AND status = 'RESERVED' RETURNING coupon_id),
      c AS (UPDATE coupons SET redeemed_count = redeemed_count - 1, updated_at = now() WHERE tenant_id = ${t} AND id IN (SELECT coupon_id FROM r) RETURNING 1),
      p AS (
        UPDATE promotions SET usage_count = usage_count - 1
         WHERE tenant_id = ${t} AND usage_limit IS NOT NULL AND usage_count > 0
           AND id IN (SELECT DISTINCT promotion_id FROM order_item_promotions WHERE tenant_id = ${t} AND order_id = ${orderId})
        RETURNING usage_count + 1 = usage_limit AS was_full),
      v AS (UPDATE promotion_state SET version = version + 1 WHERE tenant_id = ${t} AND EXISTS (SELECT 1 FROM p WHERE was_full) RETURNING 1)
      SELECT (SELECT count(*) FROM c) + (SELECT count(*) FROM v) AS n`,
  );
}

/** Remembers the coupon codes given to a DRAFT (applied when it is finalized). */
export async function rememberCodes(tx: TxScope, orderId: string, codes: readonly string[]): Promise<void> {
  if (codes.length === 0) return;
  await tx.db.execute(sql`
    INSERT INTO order_coupons (tenant_id, order_id, code)
    SELECT ${tx.tenantId}, ${orderId}::uuid, value FROM jsonb_array_elements_text(${json(codes)}::jsonb)
    ON CONFLICT DO NOTHING`);
}
