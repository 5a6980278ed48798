import { z } from 'zod';
import { clockOf, weekdayNames, type Coupon, type CouponCheck, type DiscountLimit, type Promotion } from '../../../modules/promotions/index.js';
import { iso, timestamp } from './common.js';

/** Presenters of promotions, coupons and discount limits, shared by REST and gRPC. */

const minor = () => z.number().int().describe('Integer minor units');
const scopeView = z.object({ product_ids: z.array(z.string()), variant_ids: z.array(z.string()), category_ids: z.array(z.string()) });
type StoredScope = { product_ids?: string[]; variant_ids?: string[]; category_ids?: string[] };
const scope = (s: StoredScope) => ({ product_ids: s.product_ids ?? [], variant_ids: s.variant_ids ?? [], category_ids: s.category_ids ?? [] });

export const promotionView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  kind: z.string(),
  priority: z.number().int(),
  exclusive: z.boolean(),
  rate_bp: z.number().int().nullable(),
  amount: minor().nullable(),
  scope: scopeView,
  buy_quantity: z.number().int().nullable(),
  get_quantity: z.number().int().nullable(),
  get_scope: scopeView.nullable(),
  bundle: z.array(z.object({ scope: scopeView, quantity: z.number().int() })),
  min_subtotal: minor(),
  outlet_ids: z.array(z.string()),
  channels: z.array(z.string()),
  order_types: z.array(z.string()),
  customer_group_ids: z.array(z.string()),
  starts_at: timestamp().nullable(),
  ends_at: timestamp().nullable(),
  days_of_week: z.array(z.string()),
  start_time: z.string().nullable(),
  end_time: z.string().nullable(),
  coupon_only: z.boolean(),
  usage_limit: z.number().int().nullable(),
  usage_count: z.number().int(),
  active: z.boolean(),
  created_at: timestamp(),
  updated_at: timestamp(),
});

export function presentPromotion(p: Promotion) {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    kind: p.kind,
    priority: p.priority,
    exclusive: p.exclusive,
    rate_bp: p.rateBp,
    amount: p.amount,
    scope: scope(p.scope),
    buy_quantity: p.buyQuantity,
    get_quantity: p.getQuantity,
    get_scope: p.getScope ? scope(p.getScope) : null,
    bundle: p.bundle.map((b) => ({ scope: scope(b.scope), quantity: b.quantity })),
    min_subtotal: p.minSubtotal,
    outlet_ids: p.outletIds,
    channels: p.channels,
    order_types: p.orderTypes,
    customer_group_ids: p.customerGroupIds,
    starts_at: iso(p.startsAt),
    ends_at: iso(p.endsAt),
    days_of_week: weekdayNames(p.daysOfWeek),
    start_time: clockOf(p.startMinute),
    end_time: clockOf(p.endMinute),
    coupon_only: p.couponOnly,
    usage_limit: p.usageLimit,
    usage_count: p.usageCount,
    active: p.active,
    created_at: iso(p.createdAt)!,
    updated_at: iso(p.updatedAt)!,
  };
}

export const couponView = z.object({
  id: z.string(),
  promotion_id: z.string(),
  code: z.string(),
  batch_id: z.string().nullable(),
  max_redemptions: z.number().int().nullable(),
  per_customer_limit: z.number().int().nullable(),
  first_order_only: z.boolean(),
  starts_at: timestamp().nullable(),
  expires_at: timestamp().nullable(),
  redemptions: z.number().int().describe('Reserved and confirmed uses'),
  active: z.boolean(),
  created_at: timestamp(),
  updated_at: timestamp(),
});

export function presentCoupon(c: Coupon) {
  return {
    id: c.id,
    promotion_id: c.promotionId,
    code: c.code,
    batch_id: c.batchId,
    max_redemptions: c.maxRedemptions,
    per_customer_limit: c.perCustomerLimit,
    first_order_only: c.firstOrderOnly,
    starts_at: iso(c.startsAt),
    expires_at: iso(c.expiresAt),
    redemptions: c.redeemedCount,
    active: c.active,
    created_at: iso(c.createdAt)!,
    updated_at: iso(c.updatedAt)!,
  };
}

export const couponBatchView = z.object({ batch_id: z.string(), count: z.number().int(), codes: z.array(z.string()) });
export const presentCouponBatch = (b: { batchId: string; codes: string[] }) => ({ batch_id: b.batchId, count: b.codes.length, codes: b.codes });

export const couponCheckView = z.object({ valid: z.boolean(), reason: z.string().nullable().describe('The error code that refuses it'), message: z.string().nullable(), coupon: couponView.nullable() });
export const presentCouponCheck = (c: CouponCheck) => ({ valid: c.valid, reason: c.reason, message: c.message, coupon: c.coupon ? presentCoupon(c.coupon) : null });

export const discountLimitView = z.object({ role_key: z.string(), max_rate_bp: z.number().int().nullable(), max_amount: minor().nullable(), updated_at: timestamp() });
export const presentDiscountLimit = (d: DiscountLimit) => ({ role_key: d.roleKey, max_rate_bp: d.maxRateBp, max_amount: d.maxAmount, updated_at: iso(d.updatedAt)! });
