// The promotions module's public surface: other modules and the adapters import only from here.
import { CouponService } from './coupon.service.js';
import { completedOrderFacts, type CustomerFacts } from './customer-facts.js';
import { DiscountLimitService } from './discount-limits.js';
import { PromotionCache } from './promotion-cache.js';
import { PromotionSaleHook } from './promotion-hook.js';
import { PromotionService } from './promotion.service.js';

export { PromotionService } from './promotion.service.js';
export { CouponService, type CouponCheck } from './coupon.service.js';
export { DiscountLimitService } from './discount-limits.js';
export { PromotionSaleHook } from './promotion-hook.js';
export { PromotionErrors } from './promotions.errors.js';
export { completedOrderFacts, type CustomerFacts } from './customer-facts.js';
export { bestPromotions } from './promotion-engine.js';
export { clockOf } from './promotion.service.js';
export { weekdayNames, PROMOTIONS_CHANNEL, type PromotionCache } from './promotion-cache.js';
export type { Promotion, Coupon, DiscountLimit } from './promotions.schema.js';
export * from './promotion.inputs.js';

export interface PromotionServices {
  promotions: PromotionService;
  coupons: CouponService;
  discountLimits: DiscountLimitService;
  /** Install as createSalesServices({ promotions: hook, hooks: [hook] }). */
  saleHook: PromotionSaleHook;
  /** Active promotions per tenant, cached: listen on PROMOTIONS_CHANNEL with `forget`, then `trustNotifications`. */
  cache: PromotionCache;
}

/** The customers module's facts plug in here (groups, completed orders); the default counts completed orders. */
export function createPromotionServices(opts: { customers?: CustomerFacts } = {}): PromotionServices {
  const customers = opts.customers ?? completedOrderFacts;
  const cache = new PromotionCache();
  return {
    promotions: new PromotionService(cache),
    coupons: new CouponService(customers),
    discountLimits: new DiscountLimitService(),
    saleHook: new PromotionSaleHook(cache, customers),
    cache,
  };
}
