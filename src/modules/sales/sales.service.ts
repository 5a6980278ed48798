import type { Ctx } from '../../platform/context.js';
import type { Page } from '../../platform/pagination.js';
import { addPayment, type PaymentDeps, type PaymentResult } from './actions/add-payment.js';
import { checkout } from './actions/checkout.js';
import { calculateOrder, createOrder, type PricedRequest } from './actions/create-order.js';
import { addItem, removeItem, setOrderDiscount, updateItem } from './actions/edit-items.js';
import { completeOrder, finalizeOrder, voidOrder, voidPayment } from './actions/lifecycle.js';
import type { OrderGraph } from './actions/order-access.js';
import { getReceipt, type ReceiptQuery } from './actions/get-receipt.js';
import { getOrder, listOrders } from './actions/order-queries.js';
import { refundOrder } from './actions/refund-order.js';
import type { CheckoutInput, CreateOrderInput, ListOrdersQuery } from './order.inputs.js';
import type { Refund } from './sales.schema.js';
import type { PromotionHook } from './sales-hooks.js';
import type { PaymentProvider } from './payment-provider.js';
import type { ReceiptDocument } from './receipt-prints.repository.js';
import type { RenderedReceipt } from './receipt-render.js';

export interface SalesDeps extends PaymentDeps {
  promotions: PromotionHook;
}

/**
 * SalesService (seed 000's SalesService): the order lifecycle, payments, refunds, queries and the one-request
 * checkout. Each method is one use case in actions/; this class only binds the collaborators. Inputs are
 * wire-shaped (snake_case) and validated here, so REST and gRPC refuse the same things the same way.
 */
export class SalesService {
  constructor(private readonly deps: SalesDeps) {}

  /** Registers a card/external payment provider by its name (the composition root does, e.g. for Midtrans). */
  registerPaymentProvider(provider: PaymentProvider): void {
    this.deps.providers.register(provider);
  }

  create(ctx: Ctx, input: CreateOrderInput): Promise<{ graph: OrderGraph; replayed: boolean }> {
    return createOrder(ctx, input, this.deps.hooks, this.deps.promotions);
  }
  calculate(ctx: Ctx, input: CreateOrderInput): Promise<PricedRequest> {
    return calculateOrder(ctx, input, this.deps.promotions);
  }
  get(ctx: Ctx, id: string): Promise<OrderGraph> {
    return getOrder(ctx, id);
  }
  list(ctx: Ctx, query: ListOrdersQuery): Promise<Page<OrderGraph>> {
    return listOrders(ctx, query);
  }
  addItem(ctx: Ctx, orderId: string, input: unknown): Promise<OrderGraph> {
    return addItem(ctx, orderId, input, this.deps.hooks, this.deps.promotions);
  }
  updateItem(ctx: Ctx, orderId: string, itemId: string, input: unknown): Promise<OrderGraph> {
    return updateItem(ctx, orderId, itemId, input, this.deps.hooks, this.deps.promotions);
  }
  removeItem(ctx: Ctx, orderId: string, itemId: string, input?: { expected_version?: number | undefined }): Promise<OrderGraph> {
    return removeItem(ctx, orderId, itemId, input ?? {}, this.deps.hooks);
  }
  applyDiscount(ctx: Ctx, orderId: string, input: unknown): Promise<OrderGraph> {
    return setOrderDiscount(ctx, orderId, input, this.deps.promotions);
  }
  finalize(ctx: Ctx, orderId: string, input?: unknown): Promise<OrderGraph> {
    return finalizeOrder(ctx, orderId, input, this.deps.promotions, this.deps.hooks);
  }
  addPayment(ctx: Ctx, orderId: string, input: unknown): Promise<PaymentResult> {
    return addPayment(ctx, orderId, input, this.deps);
  }
  voidPayment(ctx: Ctx, orderId: string, paymentId: string, input?: unknown): Promise<OrderGraph> {
    return voidPayment(ctx, orderId, paymentId, input, this.deps.providers, this.deps.hooks);
  }
  complete(ctx: Ctx, orderId: string, input?: unknown): Promise<OrderGraph> {
    return completeOrder(ctx, orderId, input, this.deps.hooks);
  }
  void(ctx: Ctx, orderId: string, input: unknown): Promise<OrderGraph> {
    return voidOrder(ctx, orderId, input, this.deps.hooks);
  }
  refund(ctx: Ctx, orderId: string, input: unknown): Promise<{ graph: OrderGraph; refund: Refund; replayed: boolean }> {
    return refundOrder(ctx, orderId, input, this.deps);
  }
  /** A sale's (kind 'order') or a refund's receipt, counted as a print: every fetch after the first is a COPY. */
  receipt(ctx: Ctx, kind: ReceiptDocument, id: string, query?: ReceiptQuery): Promise<RenderedReceipt> {
    return getReceipt(ctx, kind, id, query);
  }
  checkout(ctx: Ctx, input: CheckoutInput): Promise<{ graph: OrderGraph; replayed: boolean }> {
    return checkout(ctx, input, this.deps.hooks, this.deps.promotions);
  }
}
