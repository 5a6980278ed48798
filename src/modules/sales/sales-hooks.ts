import type { TxScope } from '../../platform/context.js';
import type { RequestedLine } from './sale-lines.js';
import type { DiscountType, Order } from './sales.schema.js';

/**
 * THE PROMOTIONS HOOK, called by FinalizeOrder inside its transaction before the engine prices the order:
 * the promotions module (a later issue) returns the lines with its line discounts added and the order
 * discount to apply. Until it is installed, `noPromotions` leaves everything as the cashier set it.
 */
export interface PromotionHook {
  applyPromotions(
    tx: TxScope,
    draft: { order: Order; lines: RequestedLine[]; orderDiscount: { type: DiscountType; value: bigint } | null },
  ): Promise<{ lines: RequestedLine[]; orderDiscount: { type: DiscountType; value: bigint } | null }>;
}

export const noPromotions: PromotionHook = {
  applyPromotions: async (_tx, draft) => ({ lines: draft.lines, orderDiscount: draft.orderDiscount }),
};
