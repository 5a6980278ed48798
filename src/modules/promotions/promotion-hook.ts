import { localTime } from '../catalog/index.js';
import type { AppliedPromotion, CompletedSale, ManualDiscountAsked, OrderItem, PromotionDraft, PromotionHook, SaleHooks } from '../sales/index.js';
import { approveManualDiscounts } from './discount-policy.js';
import type { TxCtx } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import type { CustomerFacts } from './customer-facts.js';
import { PromotionCache } from './promotion-cache.js';
import { bestPromotions } from './promotion-engine.js';
import type { PromoLine } from './promotion.js';
import { PromotionErrors } from './promotions.errors.js';
import { confirmUses, loadSaleFacts, releaseUses, rememberCodes, reserveUses, type SaleCoupon } from './promotion-sale.repository.js';

/**
 * Promotions in a sale: the PromotionHook (calculate, finalize, checkout) and the lifecycle hooks that confirm
 * coupon uses on completion and give them back on void. A sale with nothing for promotions (no promotions in
 * the tenant, no coupon) costs one statement, the facts read whose version tells the cache is current, or none
 * while the cache hears every change (PromotionCache.current).
 */
export class PromotionSaleHook implements PromotionHook, SaleHooks {
  /** Transactions of one-request checkouts whose uses were taken as CONFIRMED already (nothing to confirm). */
  private readonly confirmedIn = new WeakMap<object, Set<string>>();

  constructor(
    private readonly cache: PromotionCache,
    private readonly customers: CustomerFacts,
  ) {}

  async applyPromotions(tx: TxCtx, d: PromotionDraft): Promise<{ lines: ReadonlyMap<string, readonly AppliedPromotion[]> }> {
    const given = [...new Set(d.couponCodes)];
    // Nothing to apply and nothing to read: no coupon asked (finalize also uses the order's stored codes) and the
    // tenant's promotions known current and empty.
    if (given.length === 0 && d.mode !== 'finalize' && this.cache.current(tx.tenantId)?.rules.length === 0) return { lines: new Map() };
    const facts = await loadSaleFacts(tx, {
      productIds: [...new Set(d.lines.map((l) => l.productId))],
      codes: given,
      orderId: d.mode === 'finalize' ? d.orderId : null,
      customerId: d.customerId,
    });
    const compiled = await this.cache.get(tx, facts.version);
    const codes = [...new Set([...given, ...facts.storedCodes])];
    if (compiled.rules.length === 0 && codes.length === 0) return { lines: new Map() };

    let customer: { groupIds: string[]; completedOrders: number } | undefined;
    const customerFacts = async () => (customer ??= d.customerId ? await this.customers.of(tx, d.customerId) : { groupIds: [], completedOrders: 0 });
    const coupons = new Map<string, SaleCoupon>();
    for (const code of codes) {
      const n = given.indexOf(code);
      const c = await checkCoupon(facts.coupons.find((x) => x.code === code), code, n === -1 ? 'coupon_codes' : `coupon_codes.${n}`, d, customerFacts);
      coupons.set(c.promotionId, c);
    }
    const groups = compiled.usesGroups && d.customerId ? (await customerFacts()).groupIds : [];
    const lines: PromoLine[] = d.lines.map((l) => ({
      key: l.key,
      productId: l.productId,
      variantId: l.variantId,
      categoryId: facts.categories.get(l.productId) ?? null,
      unitPrice: l.unitPrice,
      milli: l.quantity.milli,
      gross: l.gross,
    }));
    const result = bestPromotions(lines, {
      outletId: d.outletId,
      channel: d.channel,
      orderType: d.orderType,
      at: d.at,
      local: localTime(d.at, d.timeZone),
      customerGroupIds: groups,
      coupons: new Map([...coupons].map(([p, c]) => [p, c.code])),
    }, compiled.rules);
    if (d.mode !== 'calculate' && result.applied.length > 0) await this.reserve(tx, d, result.applied, result.lines, coupons, compiled.limited);
    return { lines: result.lines };
  }

  private async reserve(tx: TxCtx, d: PromotionDraft, applied: readonly AppliedPromotion[], byLine: ReadonlyMap<string, readonly AppliedPromotion[]>, coupons: Map<string, SaleCoupon>, limited: ReadonlySet<string>): Promise<void> {
    const orderId = d.orderId!;
    const used = applied.flatMap((a) => (coupons.has(a.promotionId) ? [coupons.get(a.promotionId)!] : []));
    const limitedUsed = applied.filter((a) => limited.has(a.promotionId)).map((a) => a.promotionId);
    const got = await reserveUses(tx, {
      orderId,
      customerId: d.customerId,
      status: d.mode === 'checkout' ? 'CONFIRMED' : 'RESERVED',
      couponIds: used.map((c) => c.id),
      limitedPromotionIds: limitedUsed,
      redemptionIds: used.map(() => uuidv7()),
      lines: [...byLine].flatMap(([key, ps]) =>
        ps.map((p) => ({ item_id: key, promotion_id: p.promotionId, coupon_id: coupons.get(p.promotionId)?.id ?? null, name: p.name, amount: p.amount.toString() })),
      ),
    });
    const lost = used.find((c) => !got.coupons.includes(c.id));
    if (lost) throw new AppError(PromotionErrors.COUPON_EXHAUSTED, { field: fieldOf(d, lost.code), code: lost.code }, `Coupon ${lost.code} has no uses left`);
    const gone = limitedUsed.find((p) => !got.promotions.includes(p));
    if (gone) {
      this.cache.forget(tx.tenantId);
      throw new AppError(PromotionErrors.PROMOTION_EXHAUSTED, { promotion_id: gone });
    }
    if (d.mode === 'checkout') {
      const set = this.confirmedIn.get(tx) ?? new Set<string>();
      set.add(orderId);
      this.confirmedIn.set(tx, set);
    }
  }

  async approveManualDiscounts(tx: TxCtx, orderId: string, discounts: readonly ManualDiscountAsked[]): Promise<void> {
    await approveManualDiscounts(tx, tx.actor, orderId, discounts);
  }

  async rememberCoupons(tx: TxCtx, orderId: string, codes: readonly string[]): Promise<void> {
    const unique = [...new Set(codes)];
    const facts = await loadSaleFacts(tx, { productIds: [], codes: unique, orderId: null, customerId: null });
    unique.forEach((code) => {
      if (!facts.coupons.some((c) => c.code === code)) throw unknownCoupon(code, `coupon_codes.${codes.indexOf(code)}`);
    });
    await rememberCodes(tx, orderId, unique);
  }

  async orderCompleted(tx: TxCtx, sale: CompletedSale): Promise<void> {
    if (this.confirmedIn.get(tx)?.has(sale.order.id) || !hasPromotions(sale.items)) return;
    await confirmUses(tx, sale.order.id);
  }

  async orderVoided(tx: TxCtx, voided: { order: { id: string }; previousStatus: string; items: readonly OrderItem[] }): Promise<void> {
    if (voided.previousStatus !== 'OPEN' || !hasPromotions(voided.items)) return;
    await releaseUses(tx, voided.order.id);
  }
}

/** A line discount with an id is a promotion's (the cashier's own have none). */
const hasPromotions = (items: readonly OrderItem[]): boolean => items.some((i) => (i.discounts as { id?: unknown }[]).some((x) => typeof x.id === 'string'));

const fieldOf = (d: PromotionDraft, code: string): string => {
  const n = d.couponCodes.indexOf(code);
  return n === -1 ? 'coupon_codes' : `coupon_codes.${n}`;
};

const unknownCoupon = (code: string, field: string) => new AppError(PromotionErrors.COUPON_UNKNOWN, { field, code }, `No coupon has the code ${code}`);

/** Refuses a coupon that cannot be used on this sale, naming the field it came in. */
export async function checkCoupon(
  c: SaleCoupon | undefined,
  code: string,
  field: string,
  d: { outletId: string | null; customerId: string | null; at: Date },
  customer: () => Promise<{ completedOrders: number }>,
): Promise<SaleCoupon> {
  if (!c) throw unknownCoupon(code, field);
  const refuse = (def: (typeof PromotionErrors)[keyof typeof PromotionErrors], message: string, extra: Record<string, unknown> = {}): never => {
    throw new AppError(def, { field, code, ...extra }, message);
  };
  if (!c.active || !c.promotionActive) refuse(PromotionErrors.COUPON_INACTIVE, `Coupon ${code} is not active`);
  if (c.startsAt && d.at < c.startsAt) refuse(PromotionErrors.COUPON_NOT_STARTED, `Coupon ${code} is valid from ${c.startsAt.toISOString()}`);
  if (c.expiresAt && d.at >= c.expiresAt) refuse(PromotionErrors.COUPON_EXPIRED, `Coupon ${code} expired at ${c.expiresAt.toISOString()}`);
  if (d.outletId !== null && c.outletIds.length > 0 && !c.outletIds.includes(d.outletId)) refuse(PromotionErrors.COUPON_WRONG_OUTLET, `Coupon ${code} is not valid at this outlet`, { outlet_id: d.outletId });
  if (c.maxRedemptions !== null && c.redeemedCount >= c.maxRedemptions) refuse(PromotionErrors.COUPON_EXHAUSTED, `Coupon ${code} has no uses left`);
  if ((c.perCustomerLimit !== null || c.firstOrderOnly) && !d.customerId) refuse(PromotionErrors.COUPON_NEEDS_CUSTOMER, `Coupon ${code} needs a customer on the order`);
  if (c.perCustomerLimit !== null && c.customerUses >= c.perCustomerLimit) refuse(PromotionErrors.COUPON_CUSTOMER_LIMIT, `The customer has used coupon ${code} ${c.customerUses} time(s), the limit`);
  if (c.firstOrderOnly && (await customer()).completedOrders > 0) refuse(PromotionErrors.COUPON_FIRST_ORDER_ONLY, `Coupon ${code} is for a first order only`);
  return c;
}

