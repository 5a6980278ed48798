import { z } from 'zod';
import { ORDER_TYPES, WEEKDAYS, minorUnitsField } from '../catalog/index.js';
import { ORDER_CHANNELS } from '../sales/index.js';
import { pageRequestSchema } from '../../platform/pagination.js';
import { nameField, uuidField } from '../../platform/validation.js';
import { PROMOTION_KINDS } from './promotion.js';

/** Wire inputs of promotions, coupons and discount limits (snake_case, the same for REST and gRPC). */

const ids = (what: string) =>
  z
    .array(uuidField())
    .max(200, 'at most 200')
    .superRefine((l, c) => l.forEach((v, i) => l.indexOf(v) !== i && c.addIssue({ code: 'custom', path: [i], message: `${what} ${v} is listed twice` })));
const count = (max: number) => z.number().int('must be a whole number').min(1, 'must be at least 1').max(max, `must be at most ${max}`);
const rateBp = () => z.number().int('must be a whole number of basis points (1000 = 10 %)').min(0, 'must be between 0 and 10000 (0–100 %)').max(10_000, 'must be between 0 and 10000 (0–100 %)');
const instantField = () => z.iso.datetime({ offset: true, error: 'must be an RFC 3339 date-time such as 2024-05-03T16:30:00+07:00' });
const clockTime = () => z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time such as 07:30');

export const scopeInput = z.strictObject({
  product_ids: ids('product').optional(),
  variant_ids: ids('variant').optional(),
  category_ids: ids('category').optional(),
});
export type ScopeWire = z.output<typeof scopeInput>;

const promotionFields = {
  name: nameField(120),
  description: z.string().trim().max(1000).nullable().optional(),
  kind: z.enum(PROMOTION_KINDS).describe('percentage | fixed_amount (off each unit) | fixed_price (per unit) | buy_x_get_y | bundle_price | order_discount'),
  priority: z.number().int().min(-1000).max(1000).optional().describe('Higher first when combining; default 0'),
  exclusive: z.boolean().optional().describe('Never combined with another promotion; default false'),
  rate_bp: rateBp().nullable().optional().describe('percentage / order_discount: basis points off; buy_x_get_y: off the reward units (default 10000 = free)'),
  amount: minorUnitsField().nullable().optional().describe('fixed_amount: off each unit; fixed_price: the unit price; bundle_price: the bundle price; order_discount: off the order'),
  scope: scopeInput.optional().describe('Products, variants or categories it applies to; empty = the whole order'),
  buy_quantity: count(1000).nullable().optional(),
  get_quantity: count(1000).nullable().optional(),
  get_scope: scopeInput.nullable().optional().describe('buy_x_get_y over different items: the reward items; null = the same items'),
  bundle: z.array(z.strictObject({ scope: scopeInput, quantity: count(100) })).max(10).optional(),
  min_subtotal: minorUnitsField().optional().describe('order_discount: the eligible lines must add up to this (before promotions)'),
  outlet_ids: ids('outlet').optional(),
  channels: z.array(z.enum(ORDER_CHANNELS)).max(ORDER_CHANNELS.length).optional(),
  order_types: z.array(z.enum(ORDER_TYPES)).max(ORDER_TYPES.length).optional().describe('dine_in, takeaway, delivery, kiosk, online, bar_tab'),
  customer_group_ids: ids('customer group').optional(),
  starts_at: instantField().nullable().optional(),
  ends_at: instantField().nullable().optional(),
  days_of_week: z.array(z.enum(WEEKDAYS)).max(7).optional(),
  start_time: clockTime().nullable().optional().describe('Local time at the outlet, with end_time; end before start wraps past midnight'),
  end_time: clockTime().nullable().optional(),
  coupon_only: z.boolean().optional().describe('Applies only with one of its coupons'),
  usage_limit: count(1_000_000_000).nullable().optional().describe('Orders that may use it in total'),
  active: z.boolean().optional(),
};

type PromotionShape = { [K in keyof typeof promotionFields]?: z.output<(typeof promotionFields)[K]> };

/** The rules across fields, each issue naming its field. */
function promotionRules(p: PromotionShape, c: z.RefinementCtx): void {
  const need = (field: keyof PromotionShape, why: string) => {
    if (p[field] === undefined || p[field] === null) c.addIssue({ code: 'custom', path: [field], message: `is required ${why}` });
  };
  const none = (field: keyof PromotionShape, why: string) => {
    if (p[field] !== undefined && p[field] !== null) c.addIssue({ code: 'custom', path: [field], message: `must not be given ${why}` });
  };
  switch (p.kind) {
    case 'percentage':
      need('rate_bp', 'for a percentage promotion');
      none('amount', 'for a percentage promotion');
      break;
    case 'fixed_amount':
    case 'fixed_price':
      need('amount', `for a ${p.kind} promotion`);
      none('rate_bp', `for a ${p.kind} promotion`);
      break;
    case 'buy_x_get_y':
      need('buy_quantity', 'for buy_x_get_y');
      need('get_quantity', 'for buy_x_get_y');
      break;
    case 'bundle_price':
      need('amount', 'for a bundle price');
      if (!p.bundle || p.bundle.length === 0) c.addIssue({ code: 'custom', path: ['bundle'], message: 'a bundle price needs at least one component' });
      break;
    case 'order_discount':
      if ((p.rate_bp ?? null) === null && (p.amount ?? null) === null) c.addIssue({ code: 'custom', path: ['rate_bp'], message: 'give rate_bp or amount for an order discount' });
      if ((p.rate_bp ?? null) !== null && (p.amount ?? null) !== null) c.addIssue({ code: 'custom', path: ['amount'], message: 'give rate_bp or amount, not both' });
      break;
  }
  if (p.starts_at && p.ends_at && Date.parse(p.ends_at) <= Date.parse(p.starts_at)) c.addIssue({ code: 'custom', path: ['ends_at'], message: 'must be after starts_at' });
  if ((p.start_time ?? null) === null !== ((p.end_time ?? null) === null)) c.addIssue({ code: 'custom', path: [p.start_time ? 'end_time' : 'start_time'], message: 'give start_time and end_time together' });
}

export const createPromotionInput = z.strictObject(promotionFields).superRefine(promotionRules);
export type CreatePromotionInput = z.input<typeof createPromotionInput>;
export type PromotionWire = z.output<typeof createPromotionInput>;

/** A change: any field; the promotion as changed must still pass every rule of a new one. */
export const updatePromotionInput = z.strictObject({ ...promotionFields, name: promotionFields.name.optional(), kind: promotionFields.kind.optional() });
export type UpdatePromotionInput = z.input<typeof updatePromotionInput>;

export const listPromotionsQuery = pageRequestSchema.extend({
  active: z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')]).optional(),
});
export type ListPromotionsQuery = z.input<typeof listPromotionsQuery>;

// ---- coupons ------------------------------------------------------------------------------------------

/** 3 to 40 letters, digits, `-` or `_`; stored upper case (matching is case-insensitive). */
export const couponCodeField = () =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{3,40}$/, 'must be 3 to 40 letters, digits, - or _')
    .transform((s) => s.toUpperCase());

const couponLimits = {
  max_redemptions: count(1_000_000_000).nullable().optional().describe('Uses of the code in total; null = unlimited'),
  per_customer_limit: count(1000).nullable().optional().describe('Uses per customer; null = unlimited'),
  first_order_only: z.boolean().optional().describe('Only on a customer’s first completed order'),
  starts_at: instantField().nullable().optional(),
  expires_at: instantField().nullable().optional(),
};
const couponWindow = (c: { starts_at?: string | null | undefined; expires_at?: string | null | undefined }, ctx: z.RefinementCtx) => {
  if (c.starts_at && c.expires_at && Date.parse(c.expires_at) <= Date.parse(c.starts_at)) ctx.addIssue({ code: 'custom', path: ['expires_at'], message: 'must be after starts_at' });
};

export const createCouponInput = z.strictObject({ promotion_id: uuidField(), code: couponCodeField(), ...couponLimits }).superRefine(couponWindow);
export type CreateCouponInput = z.input<typeof createCouponInput>;

export const MAX_BULK_COUPONS = 10_000;
export const generateCouponsInput = z
  .strictObject({
    promotion_id: uuidField(),
    count: count(MAX_BULK_COUPONS),
    prefix: z.string().trim().regex(/^[A-Za-z0-9]{0,12}$/, 'must be at most 12 letters or digits').optional(),
    length: z.number().int().min(6, 'must be at least 6').max(20, 'must be at most 20').optional().describe('Random characters after the prefix; default 8'),
    ...couponLimits,
  })
  .superRefine(couponWindow);
export type GenerateCouponsInput = z.input<typeof generateCouponsInput>;

export const updateCouponInput = z.strictObject({ ...couponLimits, active: z.boolean().optional() }).superRefine(couponWindow);
export type UpdateCouponInput = z.input<typeof updateCouponInput>;

export const listCouponsQuery = pageRequestSchema.extend({ promotion_id: uuidField().optional(), code: z.string().trim().max(40).optional() });
export type ListCouponsQuery = z.input<typeof listCouponsQuery>;

export const validateCouponInput = z.strictObject({
  code: couponCodeField(),
  outlet_id: uuidField().optional(),
  customer_id: uuidField().optional(),
});
export type ValidateCouponInput = z.input<typeof validateCouponInput>;

// ---- manual discount limits ---------------------------------------------------------------------------

export const discountLimitInput = z.strictObject({
  max_rate_bp: rateBp().nullable().optional().describe('Largest percentage discount without an override; null = no limit'),
  max_amount: minorUnitsField().nullable().optional().describe('Largest fixed discount without an override; null = no limit'),
});
export type DiscountLimitInput = z.input<typeof discountLimitInput>;
