import type { TxCtx, TxScope } from '../../platform/context.js';
import type { RefundEventFacts } from './order.events.js';
import type { OrderStatus } from './order-state.js';
import type { RequestedLine } from './sale-lines.js';
import type { DiscountType, Order, OrderItem, Payment } from './sales.schema.js';

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

/** A sale as it completes: the order (COMPLETED, receipt numbered), its lines and its payments. */
export interface CompletedSale {
  order: Order;
  items: readonly OrderItem[];
  payments: readonly Payment[];
}

/**
 * LIFECYCLE HOOKS: how the modules that follow a sale (stock, cash drawers, loyalty, commissions, coupons) take
 * part in it without sales knowing them. Each is called inside the transaction that makes the change, after
 * sales has written it, with the caller's context (tenant, actor); a hook writes with guarded statements and
 * throws an AppError to refuse the change, which rolls the whole transaction back. The composition root
 * installs them in order (createSalesServices({ hooks })); none are called when none are installed.
 */
export interface SaleHooks {
  /** The lines of a DRAFT or OPEN order changed (created with items, added, updated, removed, finalized). */
  itemsChanged?(tx: TxCtx, change: { order: Order; items: readonly OrderItem[] }): Promise<void>;
  /** Payments were captured on an order (AddPayment, a provider capture, or Checkout's tenders). */
  paymentsCaptured?(tx: TxCtx, capture: { order: Order; payments: readonly Payment[] }): Promise<void>;
  /** A captured payment was taken back off an OPEN order. */
  paymentVoided?(tx: TxCtx, voided: { order: Order; payment: Payment }): Promise<void>;
  /** The order completed (CompleteOrder or Checkout). */
  orderCompleted?(tx: TxCtx, sale: CompletedSale): Promise<void>;
  /** A DRAFT or OPEN order was voided. */
  orderVoided?(tx: TxCtx, voided: { order: Order; previousStatus: OrderStatus; items: readonly OrderItem[] }): Promise<void>;
  /** A refund was recorded (lines with their restock flags, tenders with their amounts). */
  orderRefunded?(tx: TxCtx, refund: RefundFacts): Promise<void>;
}

/** What a refund hook is told: the refund's facts plus the register it was paid out at, when given. */
export type RefundFacts = RefundEventFacts & { terminalId: string | null };

/** Calls every installed hook of one kind, in installation order. */
export class SaleHookChain {
  constructor(private readonly hooks: readonly SaleHooks[]) {}

  get empty(): boolean {
    return this.hooks.length === 0;
  }

  async run<K extends keyof SaleHooks>(kind: K, tx: TxCtx, arg: Parameters<NonNullable<SaleHooks[K]>>[1]): Promise<void> {
    for (const h of this.hooks) {
      const f = h[kind] as ((tx: TxCtx, a: typeof arg) => Promise<void>) | undefined;
      if (f) await f.call(h, tx, arg);
    }
  }
}
