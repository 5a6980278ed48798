// The sales module's public surface: other modules and the adapters import only from here.
import { PaymentProviders, type PaymentProvider, type TenderHook } from './payment-provider.js';
import { noPromotions, SaleHookChain, type PromotionHook, type SaleHooks } from './sales-hooks.js';
import { SalesService } from './sales.service.js';
import { ServiceChargeService } from './service-charge.service.js';

export { SalesService, type SalesDeps } from './sales.service.js';
export type { AppliedTax, TaxBreakdown } from './pricing/index.js';
export type { OrderGraph } from './actions/order-access.js';
export type { PaymentResult } from './actions/add-payment.js';
export type { PricedRequest } from './actions/create-order.js';
export { OrderErrors } from './order.errors.js';
export { OrderEvents, orderCompletedPayload } from './order.events.js';
export * from './order.inputs.js';
export { ORDER_STATUSES, PAYMENT_STATUSES, orderTransitions, canTransition, type OrderStatus, type PaymentStatus } from './order-state.js';
export { ORDER_CHANNELS, TENDER_TYPES, PAYMENT_STATES, type Order, type OrderItem, type Payment, type Refund, type RefundLine, type RefundTender, type LineModifier, type TenderType } from './sales.schema.js';
export { orders, orderItems, payments, refunds, refundLines, refundTenders, receiptCounters } from './sales.schema.js';
export { PaymentProviders, type PaymentProvider, type ProviderOutcome, type ProviderCharge, type TenderHook } from './payment-provider.js';
export { noPromotions, SaleHookChain, type PromotionHook, type PromotionDraft, type ManualDiscountAsked, type PromotionLine, type AppliedPromotion, type SaleHooks, type CompletedSale, type RefundFacts } from './sales-hooks.js';
export type { RefundEventFacts } from './order.events.js';
export { ServiceChargeService } from './service-charge.service.js';
export type { ServiceChargeRule } from './service-charge.js';
export { createServiceChargeInput, updateServiceChargeInput, type CreateServiceChargeInput, type UpdateServiceChargeInput } from './service-charge.inputs.js';
export { formatReceiptNumber } from './receipt-number.js';
export { receiptQuery, type ReceiptQuery } from './actions/get-receipt.js';
export { ReceiptErrors } from './receipt.errors.js';
export { RECEIPT_FORMATS, renderReceipt, type ReceiptFormat, type RenderedReceipt } from './receipt-render.js';
export type { Receipt, ReceiptLine, ReceiptTax, ReceiptTender, ReceiptAmount } from './receipt.js';
export type { ReceiptDocument } from './receipt-prints.repository.js';
export { formatQuantity, quantityFromDb, quantityJson, type Quantity } from './quantity.js';
export { businessDate } from './business-date.js';

/** The transports' view of sales (REST routes, gRPC SalesService). */
export interface SalesServices {
  sales: SalesService;
  serviceCharges: ServiceChargeService;
}

export interface SalesOptions {
  providers?: readonly PaymentProvider[];
  tenderHooks?: Partial<Record<'STORE_CREDIT' | 'LOYALTY_POINTS', TenderHook>>;
  promotions?: PromotionHook;
  /** Lifecycle hooks of the modules that follow a sale (stock, drawers, loyalty, commissions), in call order. */
  hooks?: readonly SaleHooks[];
}

/** Stateless services (the database comes with each call's context): one set serves the whole process. */
export function createSalesServices(opts: SalesOptions = {}): SalesServices {
  return {
    serviceCharges: new ServiceChargeService(),
    sales: new SalesService({ providers: new PaymentProviders(opts.providers ?? []), tenderHooks: opts.tenderHooks ?? {}, promotions: opts.promotions ?? noPromotions, hooks: new SaleHookChain(opts.hooks ?? []) }),
  };
}
