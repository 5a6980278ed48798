import type { TxCtx } from '../../platform/context.js';
import type { RefundEventFacts } from './order.events.js';
import type { OrderStatus } from './order-state.js';
import type { Quantity } from './quantity.js';
import type { DiscountType, Order, OrderItem, Payment } from './sales.schema.js';

/** A priced line as the promotions hook sees it (before any promotion). */
export interface PromotionLine {
  /** The order item id (a new line's id-to-be in calculate and checkout). */
  key: string;
  productId: string;
  variantId: string;
  /** Price of one unit with its modifiers, minor units. */
  unitPrice: bigint;
  quantity: Quantity;
  /** What the line costs before any discount (the pricing engine's gross), minor units. */
  gross: bigint;
}

export interface PromotionDraft {
  /** calculate: nothing is written; finalize: coupon and promotion uses are reserved; checkout: the order completes in this transaction. */
  mode: 'calculate' | 'finalize' | 'checkout';
  orderId: string | null;
  outletId: string;
  /** The outlet's IANA time zone (promotion hours and weekdays are local). */
  timeZone: string;
  channel: string;
  orderType: string;
  customerId: string | null;
  at: Date;
  /** Coupon codes presented with this request (a DRAFT's remembered codes are the hook's own business). */
  couponCodes: readonly string[];
  lines: readonly PromotionLine[];
}

/** One promotion's part of one line: sales adds it as a named fixed line discount, before the cashier's own. */
export interface AppliedPromotion {
  promotionId: string;
  name: string;
  amount: bigint;
  couponCode?: string | undefined;
}

/**
 * THE PROMOTIONS HOOK, called by calculate, finalize and checkout inside their transaction once the lines are
 * priced: the promotions module returns, per line key, what each applied promotion takes off (never more than
 * the line's gross), and at finalize/checkout reserves the uses it needs, throwing an AppError to refuse the
 * sale (an exhausted coupon). `rememberCoupons` keeps the codes a DRAFT was created with until it is finalized.
 * Until a module is installed, `noPromotions` applies nothing.
 */
export interface PromotionHook {
  applyPromotions(tx: TxCtx, draft: PromotionDraft): Promise<{ lines: ReadonlyMap<string, readonly AppliedPromotion[]> }>;
  rememberCoupons?(tx: TxCtx, orderId: string, codes: readonly string[]): Promise<void>;
  /** The cashier's own discounts on a change (with their request fields): refused above the actor's limit unless overridden. */
  approveManualDiscounts?(tx: TxCtx, orderId: string, discounts: readonly ManualDiscountAsked[]): Promise<void>;
}

export interface ManualDiscountAsked {
  field: string;
  type: DiscountType;
  /** Basis points for a percentage, minor units for a fixed amount. */
  value: bigint;
}

export const noPromotions: PromotionHook = {
  applyPromotions: async () => ({ lines: new Map() }),
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
