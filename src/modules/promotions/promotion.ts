/**
 * Promotions as the engine reads them, and the facts of a sale it is given. Pure types and the conditions
 * that decide whether a promotion may apply at all (where, when, to whom); what it is worth is in
 * promotion-engine.ts. Amounts are bigint minor units; rates are basis points (1000 = 10 %).
 */

export const PROMOTION_KINDS = ['percentage', 'fixed_amount', 'fixed_price', 'buy_x_get_y', 'bundle_price', 'order_discount'] as const;
export type PromotionKind = (typeof PROMOTION_KINDS)[number];

/** Which lines a promotion looks at: any product, variant or category listed; all empty = every line. */
export interface Scope {
  productIds: readonly string[];
  variantIds: readonly string[];
  categoryIds: readonly string[];
}

export interface BundleComponent {
  scope: Scope;
  /** Whole units of this component in one bundle, >= 1. */
  quantity: number;
}

export interface PromotionRule {
  id: string;
  name: string;
  kind: PromotionKind;
  /** Higher first when combining; ties by id. */
  priority: number;
  /** true: never combined with any other promotion. */
  exclusive: boolean;
  /** percentage, order_discount (when amount is null), buy_x_get_y reward (10000 = free). */
  rateBp: number | null;
  /** fixed_amount: off each unit; fixed_price: the unit price; bundle_price: the bundle's price; order_discount: off the order. */
  amount: bigint | null;
  scope: Scope;
  /** buy_x_get_y: buy this many… */
  buyQuantity: number | null;
  /** …get this many at rateBp off. */
  getQuantity: number | null;
  /** buy_x_get_y over different items: the reward units; null = the same items as scope. */
  getScope: Scope | null;
  bundle: readonly BundleComponent[];
  /** order_discount: the eligible lines' subtotal (before promotions) must reach this. */
  minSubtotal: bigint;
  /** Empty = everywhere / every channel / every order type / everyone. */
  outletIds: readonly string[];
  channels: readonly string[];
  orderTypes: readonly string[];
  customerGroupIds: readonly string[];
  startsAt: Date | null;
  endsAt: Date | null;
  /** ISO weekdays 1..7 (Monday = 1); empty = every day. */
  daysOfWeek: readonly number[];
  /** Minutes after local midnight, [start, end); end < start wraps past midnight. null = all day. */
  startMinute: number | null;
  endMinute: number | null;
  /** true: applies only with one of its coupons. */
  couponOnly: boolean;
  /** Total uses reached its limit (as last read). */
  exhausted: boolean;
}

/** One order line as the engine sees it. */
export interface PromoLine {
  /** The order item id: unique; lines are taken in ascending key order. */
  key: string;
  productId: string;
  variantId: string;
  categoryId: string | null;
  /** Price of one unit with its modifiers, minor units >= 0. */
  unitPrice: bigint;
  /** Quantity in thousandths (1 unit = 1000n); > 0. Only whole quantities count as units for X-for-Y and bundles. */
  milli: bigint;
  /** What the line costs before any discount (the pricing engine's gross), >= 0. */
  gross: bigint;
}

export interface PromoContext {
  outletId: string;
  channel: string;
  orderType: string;
  at: Date;
  /** ISO weekday 1..7 and minutes after midnight at the outlet (localTime of `at` in the outlet's zone). */
  local: { weekday: number; minute: number };
  customerGroupIds: readonly string[];
  /** Promotions unlocked by the coupons presented: promotion id → the coupon code. */
  coupons: ReadonlyMap<string, string>;
}

export interface LinePromotion {
  promotionId: string;
  name: string;
  amount: bigint;
  couponCode?: string;
}

export interface PromotionResult {
  /** Per line key, the promotions that took something off it, in application order (lines with none are absent). */
  lines: Map<string, LinePromotion[]>;
  /** Each applied promotion with its total, in application order. */
  applied: LinePromotion[];
  total: bigint;
}

export const emptyScope: Scope = { productIds: [], variantIds: [], categoryIds: [] };

export const isWholeOrder = (s: Scope): boolean => s.productIds.length === 0 && s.variantIds.length === 0 && s.categoryIds.length === 0;

export function inScope(s: Scope, l: PromoLine): boolean {
  if (isWholeOrder(s)) return true;
  return s.variantIds.includes(l.variantId) || s.productIds.includes(l.productId) || (l.categoryId !== null && s.categoryIds.includes(l.categoryId));
}

const listed = (list: readonly string[], v: string): boolean => list.length === 0 || list.includes(v);

/** Whether the promotion may apply to this sale at all (before looking at its lines). */
export function isAvailable(p: PromotionRule, c: PromoContext): boolean {
  if (p.exhausted) return false;
  if (p.couponOnly && !c.coupons.has(p.id)) return false;
  if (!listed(p.outletIds, c.outletId) || !listed(p.channels, c.channel) || !listed(p.orderTypes, c.orderType)) return false;
  if (p.customerGroupIds.length > 0 && !p.customerGroupIds.some((g) => c.customerGroupIds.includes(g))) return false;
  if (p.startsAt && c.at < p.startsAt) return false;
  if (p.endsAt && c.at >= p.endsAt) return false;
  if (p.daysOfWeek.length > 0 && !p.daysOfWeek.includes(c.local.weekday)) return false;
  return withinHours(p.startMinute, p.endMinute, c.local.minute);
}

export function withinHours(start: number | null, end: number | null, minute: number): boolean {
  if (start === null || end === null) return true;
  if (start === end) return true;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** Higher priority first, then id: the one order promotions are considered and applied in. */
export const byPriority = (a: PromotionRule, b: PromotionRule): number => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
