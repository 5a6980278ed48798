import { z } from 'zod';
import {
  createCouponInput,
  createPromotionInput,
  discountLimitInput,
  generateCouponsInput,
  listCouponsQuery,
  listPromotionsQuery,
  updateCouponInput,
  updatePromotionInput,
  validateCouponInput,
  type PromotionServices,
} from '../../../modules/promotions/index.js';
import { idParams, pageView, presentPage } from '../../shared/views/common.js';
import * as v from '../../shared/views/promotions.views.js';
import type { RouteKit } from '../route-kit.js';

const tags = ['Promotions'];
const roleParams = z.object({ role_key: z.string().min(1).max(60) });

/** Promotions, coupons and manual discount limits (issue 7). */
export function promotionRoutes(r: RouteKit, { promotions, coupons, discountLimits }: PromotionServices): void {
  r.post('/api/v1/promotions', { summary: 'Create a promotion', tags, body: createPromotionInput, response: v.promotionView, status: 201 }, async ({ body }, ctx) => v.presentPromotion(await promotions.create(ctx, body)));
  r.get('/api/v1/promotions', { summary: 'List promotions', tags, query: listPromotionsQuery, response: pageView(v.promotionView) }, async ({ query }, ctx) => presentPage(await promotions.list(ctx, query), v.presentPromotion));
  r.get('/api/v1/promotions/:id', { summary: 'Get a promotion', tags, params: idParams, response: v.promotionView }, async ({ params }, ctx) => v.presentPromotion(await promotions.get(ctx, params.id)));
  r.patch('/api/v1/promotions/:id', { summary: 'Change a promotion (active: false ends it)', tags, params: idParams, body: updatePromotionInput, response: v.promotionView }, async ({ params, body }, ctx) =>
    v.presentPromotion(await promotions.update(ctx, params.id, body ?? {})),
  );

  r.post('/api/v1/coupons', { summary: 'Create a coupon code for a promotion', tags, body: createCouponInput, response: v.couponView, status: 201 }, async ({ body }, ctx) => v.presentCoupon(await coupons.create(ctx, body)));
  r.post('/api/v1/coupons/generate', { summary: 'Generate a batch of random coupon codes for a promotion', tags, body: generateCouponsInput, response: v.couponBatchView, status: 201 }, async ({ body }, ctx) =>
    v.presentCouponBatch(await coupons.generate(ctx, body)),
  );
  r.post('/api/v1/coupons/validate', { summary: 'Whether a coupon code could be used now (nothing is written)', tags, body: validateCouponInput, response: v.couponCheckView }, async ({ body }, ctx) =>
    v.presentCouponCheck(await coupons.check(ctx, body)),
  );
  r.get('/api/v1/coupons', { summary: 'List coupons (by promotion or code)', tags, query: listCouponsQuery, response: pageView(v.couponView) }, async ({ query }, ctx) => presentPage(await coupons.list(ctx, query), v.presentCoupon));
  r.get('/api/v1/coupons/:id', { summary: 'Get a coupon', tags, params: idParams, response: v.couponView }, async ({ params }, ctx) => v.presentCoupon(await coupons.get(ctx, params.id)));
  r.patch('/api/v1/coupons/:id', { summary: 'Change a coupon’s limits, window or active flag', tags, params: idParams, body: updateCouponInput, response: v.couponView }, async ({ params, body }, ctx) =>
    v.presentCoupon(await coupons.update(ctx, params.id, body ?? {})),
  );

  r.get('/api/v1/discount-limits', { summary: 'Per-role maximum manual discounts', tags, response: z.object({ items: z.array(v.discountLimitView) }) }, async (_p, ctx) => ({
    items: (await discountLimits.list(ctx)).map(v.presentDiscountLimit),
  }));
  r.put('/api/v1/discount-limits/:role_key', { summary: 'Set a role’s maximum manual discount (above it a manager override is needed)', tags, params: roleParams, body: discountLimitInput, response: v.discountLimitView }, async ({ params, body }, ctx) =>
    v.presentDiscountLimit(await discountLimits.put(ctx, params.role_key, body ?? {})),
  );
}
