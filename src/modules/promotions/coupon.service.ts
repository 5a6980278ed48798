import { randomInt } from 'node:crypto';
import { requirePermission, withTransaction, type Ctx } from '../../platform/context.js';
import { uniqueViolation } from '../../platform/db-errors.js';
import { AppError, validationError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { readPage, toPage, type Page } from '../../platform/pagination.js';
import { parseInput } from '../../platform/validation.js';
import type { CustomerFacts } from './customer-facts.js';
import { checkCoupon } from './promotion-hook.js';
import {
  createCouponInput,
  generateCouponsInput,
  listCouponsQuery,
  updateCouponInput,
  validateCouponInput,
  type CreateCouponInput,
  type GenerateCouponsInput,
  type ListCouponsQuery,
  type UpdateCouponInput,
  type ValidateCouponInput,
} from './promotion.inputs.js';
import { promotionRepository as repo } from './promotion.repository.js';
import { loadSaleFacts } from './promotion-sale.repository.js';
import { PromotionErrors } from './promotions.errors.js';
import { recordCouponsCreated } from './promotions.events.js';
import type { Coupon, Promotion } from './promotions.schema.js';

/** Unambiguous characters for generated codes (no 0/O, 1/I/L). */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const randomCode = (prefix: string, length: number): string => prefix + Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

type Limits = { max_redemptions?: number | null | undefined; per_customer_limit?: number | null | undefined; first_order_only?: boolean | undefined; starts_at?: string | null | undefined; expires_at?: string | null | undefined };
const limitsOf = (i: Limits) => ({
  ...(i.max_redemptions !== undefined ? { maxRedemptions: i.max_redemptions } : {}),
  ...(i.per_customer_limit !== undefined ? { perCustomerLimit: i.per_customer_limit } : {}),
  ...(i.first_order_only !== undefined ? { firstOrderOnly: i.first_order_only } : {}),
  ...(i.starts_at !== undefined ? { startsAt: i.starts_at ? new Date(i.starts_at) : null } : {}),
  ...(i.expires_at !== undefined ? { expiresAt: i.expires_at ? new Date(i.expires_at) : null } : {}),
});

export interface CouponCheck {
  valid: boolean;
  /** The error code that refuses it, when not valid. */
  reason: string | null;
  message: string | null;
  coupon: Coupon | null;
}

/** Coupons: single codes, bulk-generated batches, changes and a dry-run check. Codes are stored upper case. */
export class CouponService {
  constructor(private readonly customers: CustomerFacts) {}

  async create(ctx: Ctx, input: CreateCouponInput): Promise<Coupon> {
    requirePermission(ctx, 'pos:promotion:write');
    const i = parseInput(createCouponInput, input);
    return withTransaction(ctx, async (tx) => {
      await this.promotion(tx, i.promotion_id);
      const c = await repo.insertCoupon(tx, { id: uuidv7(), promotionId: i.promotion_id, code: i.code, ...limitsOf(i) }).catch((e: unknown) => {
        if (uniqueViolation(e)) throw new AppError(PromotionErrors.COUPON_CODE_TAKEN, { field: 'code', code: i.code });
        throw e;
      });
      await recordCouponsCreated(tx, i.promotion_id, 1, null);
      return c;
    });
  }

  /** `count` new random codes (prefix + `length` characters) for one promotion, as one batch. */
  async generate(ctx: Ctx, input: GenerateCouponsInput): Promise<{ batchId: string; codes: string[] }> {
    requirePermission(ctx, 'pos:promotion:write');
    const i = parseInput(generateCouponsInput, input);
    const prefix = (i.prefix ?? '').toUpperCase();
    const length = i.length ?? 8;
    return withTransaction(ctx, async (tx) => {
      await this.promotion(tx, i.promotion_id);
      const batchId = uuidv7();
      const codes: string[] = [];
      // Collisions are rare (31^8 codes); a taken code is skipped by the insert and another is drawn.
      for (let round = 0; round < 10 && codes.length < i.count; round++) {
        const want = new Set<string>();
        while (want.size < Math.min(1000, i.count - codes.length)) want.add(randomCode(prefix, length));
        const made = await repo.insertCoupons(tx, [...want].map((code) => ({ id: uuidv7(), promotionId: i.promotion_id, code, batchId, ...limitsOf(i) })));
        codes.push(...made.map((c) => c.code));
      }
      if (codes.length < i.count) throw validationError([{ field: 'length', message: 'too few free codes of this length and prefix; use a longer length' }]);
      await recordCouponsCreated(tx, i.promotion_id, codes.length, batchId);
      return { batchId, codes };
    });
  }

  async get(ctx: Ctx, id: string): Promise<Coupon> {
    requirePermission(ctx, 'pos:promotion:read');
    const c = await withTransaction(ctx, (tx) => repo.couponById(tx, id));
    if (!c) throw new AppError(PromotionErrors.COUPON_NOT_FOUND, { id });
    return c;
  }

  async list(ctx: Ctx, query: ListCouponsQuery): Promise<Page<Coupon>> {
    requirePermission(ctx, 'pos:promotion:read');
    const q = parseInput(listCouponsQuery, query ?? {});
    const { limit, after } = readPage(q);
    return toPage(await withTransaction(ctx, (tx) => repo.listCoupons(tx, limit, after, { promotionId: q.promotion_id, code: q.code })), limit);
  }

  async update(ctx: Ctx, id: string, input: UpdateCouponInput): Promise<Coupon> {
    requirePermission(ctx, 'pos:promotion:write');
    const i = parseInput(updateCouponInput, input ?? {});
    return withTransaction(ctx, async (tx) => {
      const before = await repo.couponById(tx, id);
      if (!before) throw new AppError(PromotionErrors.COUPON_NOT_FOUND, { id });
      const max = i.max_redemptions === undefined ? before.maxRedemptions : i.max_redemptions;
      if (max !== null && max < before.redeemedCount) throw validationError([{ field: 'max_redemptions', message: `must be at least ${before.redeemedCount}, the uses so far` }]);
      const starts = i.starts_at === undefined ? before.startsAt : i.starts_at ? new Date(i.starts_at) : null;
      const ends = i.expires_at === undefined ? before.expiresAt : i.expires_at ? new Date(i.expires_at) : null;
      if (starts && ends && ends <= starts) throw validationError([{ field: 'expires_at', message: 'must be after starts_at' }]);
      return (await repo.updateCoupon(tx, id, { ...limitsOf(i), ...(i.active !== undefined ? { active: i.active } : {}) }))!;
    });
  }

  /** Whether a code could be used now (at an outlet, by a customer); nothing is written. */
  async check(ctx: Ctx, input: ValidateCouponInput): Promise<CouponCheck> {
    requirePermission(ctx, 'pos:promotion:read');
    const i = parseInput(validateCouponInput, input);
    return withTransaction(ctx, async (tx) => {
      const facts = await loadSaleFacts(tx, { productIds: [], codes: [i.code], orderId: null, customerId: i.customer_id ?? null });
      const coupon = (await repo.couponByCode(tx, i.code)) ?? null;
      try {
        await checkCoupon(facts.coupons[0], i.code, 'code', { outletId: i.outlet_id ?? null, customerId: i.customer_id ?? null, at: new Date() }, () => this.customers.of(tx, i.customer_id!));
        return { valid: true, reason: null, message: null, coupon };
      } catch (e) {
        if (e instanceof AppError) return { valid: false, reason: e.code, message: e.message, coupon };
        throw e;
      }
    });
  }

  private async promotion(tx: Parameters<typeof repo.byId>[0], id: string): Promise<Promotion> {
    const p = await repo.byId(tx, id);
    if (!p) throw validationError([{ field: 'promotion_id', message: 'no such promotion' }]);
    return p;
  }
}
