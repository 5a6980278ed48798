import { requirePermission, withTransaction, type Ctx } from '../../platform/context.js';
import { parseInput } from '../../platform/validation.js';
import { nameField } from '../../platform/validation.js';
import { discountLimitInput, type DiscountLimitInput } from './promotion.inputs.js';
import { promotionRepository as repo } from './promotion.repository.js';
import type { DiscountLimit } from './promotions.schema.js';

/** Per-role maximum of manual discounts (role key → largest rate and/or amount without a manager's override). */
export class DiscountLimitService {
  async list(ctx: Ctx): Promise<DiscountLimit[]> {
    requirePermission(ctx, 'pos:promotion:read');
    return withTransaction(ctx, (tx) => repo.discountLimits(tx));
  }

  async put(ctx: Ctx, roleKey: string, input: DiscountLimitInput): Promise<DiscountLimit> {
    requirePermission(ctx, 'pos:promotion:write');
    const key = parseInput(nameField(60), roleKey);
    const i = parseInput(discountLimitInput, input ?? {});
    return withTransaction(ctx, (tx) => repo.putDiscountLimit(tx, key, { maxRateBp: i.max_rate_bp ?? null, maxAmount: i.max_amount === undefined || i.max_amount === null ? null : BigInt(i.max_amount) }));
  }
}
