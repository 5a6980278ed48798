import type { CreateCouponInput, CreatePromotionInput, GenerateCouponsInput, ListCouponsQuery, UpdateCouponInput, UpdatePromotionInput, ValidateCouponInput } from '../../../modules/promotions/index.js';
import * as v from '../../shared/views/promotions.views.js';
import type { Rpc } from '../rpc-kit.js';
import { idArg, int64Arg, pageArg, pageOut, pick, type RpcRequest } from '../wire.js';

const PROMOTION_FIELDS = [
  'name', 'description', 'kind', 'priority', 'exclusive', 'rate_bp', 'amount', 'scope', 'buy_quantity', 'get_quantity', 'get_scope', 'bundle', 'min_subtotal',
  'outlet_ids', 'channels', 'order_types', 'customer_group_ids', 'starts_at', 'ends_at', 'days_of_week', 'start_time', 'end_time', 'coupon_only', 'usage_limit', 'active',
] as const;
const LIST_FIELDS = ['bundle', 'outlet_ids', 'channels', 'order_types', 'customer_group_ids', 'days_of_week'] as const;
const COUPON_LIMITS = ['max_redemptions', 'per_customer_limit', 'first_order_only', 'starts_at', 'expires_at'] as const;

/**
 * A promotion body from a request. Empty repeated fields are not on the wire, so an absent list means "not
 * given" (on update: unchanged); int64 amounts arrive as strings, which the services' money fields take.
 */
function promotionArg(req: RpcRequest): Record<string, unknown> {
  const out: Record<string, unknown> = pick(req, PROMOTION_FIELDS);
  for (const k of LIST_FIELDS) if (Array.isArray(out[k]) && (out[k] as unknown[]).length === 0) delete out[k];
  if (out.min_subtotal !== undefined) out.min_subtotal = int64Arg(out.min_subtotal);
  if (out.amount !== undefined) out.amount = int64Arg(out.amount);
  return out;
}

/** pos.v1.PromotionService over the same services as /api/v1/promotions and /api/v1/coupons. */
export const promotionRpcs: Record<string, Rpc> = {
  // The services validate these inputs (parseInput) exactly as for REST; the casts only hand them over.
  CreatePromotion: { write: true, handle: async (req, ctx, { services }) => ({ promotion: v.presentPromotion(await services.promotions.promotions.create(ctx, promotionArg(req) as CreatePromotionInput)) }) },
  GetPromotion: { handle: async (req, ctx, { services }) => ({ promotion: v.presentPromotion(await services.promotions.promotions.get(ctx, idArg(req))) }) },
  ListPromotions: {
    handle: async (req, ctx, { services }) =>
      pageOut('promotions', await services.promotions.promotions.list(ctx, { ...pageArg(req), ...(typeof req.active === 'boolean' ? { active: req.active } : {}) }), v.presentPromotion),
  },
  UpdatePromotion: {
    write: true,
    handle: async (req, ctx, { services }) => ({ promotion: v.presentPromotion(await services.promotions.promotions.update(ctx, idArg(req), promotionArg(req) as UpdatePromotionInput)) }),
  },

  CreateCoupon: {
    write: true,
    handle: async (req, ctx, { services }) => ({ coupon: v.presentCoupon(await services.promotions.coupons.create(ctx, pick(req, ['promotion_id', 'code', ...COUPON_LIMITS]) as CreateCouponInput)) }),
  },
  GenerateCoupons: {
    write: true,
    handle: async (req, ctx, { services }) => v.presentCouponBatch(await services.promotions.coupons.generate(ctx, pick(req, ['promotion_id', 'count', 'prefix', 'length', ...COUPON_LIMITS]) as GenerateCouponsInput)),
  },
  GetCoupon: { handle: async (req, ctx, { services }) => ({ coupon: v.presentCoupon(await services.promotions.coupons.get(ctx, idArg(req))) }) },
  ListCoupons: {
    handle: async (req, ctx, { services }) => pageOut('coupons', await services.promotions.coupons.list(ctx, { ...pageArg(req), ...pick(req, ['promotion_id', 'code']) } as ListCouponsQuery), v.presentCoupon),
  },
  UpdateCoupon: {
    write: true,
    handle: async (req, ctx, { services }) => ({ coupon: v.presentCoupon(await services.promotions.coupons.update(ctx, idArg(req), pick(req, [...COUPON_LIMITS, 'active']) as UpdateCouponInput)) }),
  },
  ValidateCoupon: {
    handle: async (req, ctx, { services }) => v.presentCouponCheck(await services.promotions.coupons.check(ctx, pick(req, ['code', 'outlet_id', 'customer_id']) as ValidateCouponInput)),
  },
};
