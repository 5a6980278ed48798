import type { TxScope } from '../../platform/context.js';
import { recordEvent } from '../../platform/outbox.js';
import { quantityFromDb, quantityJson } from './quantity.js';
import type { LineModifier, Order, OrderItem, Payment } from './sales.schema.js';

/**
 * Sales events (past tense, dotted), recorded in the transaction that makes the change. Payloads carry what
 * stock, loyalty and reports need without reading back: lines with variants and quantities, modifiers with
 * the stock item they consume, totals, tenders, customer. Amounts are JSON integers in minor units.
 */
export const OrderEvents = {
  ORDER_COMPLETED: 'order.completed',
  ORDER_VOIDED: 'order.voided',
  ORDER_REFUNDED: 'order.refunded',
} as const;

const n = (v: bigint | null): number | null => (v === null ? null : Number(v));

type ItemFacts = Pick<OrderItem, 'id' | 'productId' | 'variantId' | 'sku' | 'name' | 'variantName' | 'quantity' | 'unitPrice' | 'subtotal' | 'discountTotal' | 'taxTotal' | 'total' | 'trackStock' | 'modifiers'>;
type OrderFacts = Pick<
  Order,
  | 'id' | 'clientId' | 'outletId' | 'terminalId' | 'cashierMembershipId' | 'customerId' | 'tableId' | 'orderType' | 'channel' | 'businessDate' | 'currency'
  | 'subtotal' | 'discountTotal' | 'serviceChargeTotal' | 'taxTotal' | 'tipTotal' | 'roundingAdjustment' | 'total' | 'paidTotal' | 'changeTotal'
> & { receiptNumber: string | null; completedAt: Date | null };
type PaymentFacts = Pick<Payment, 'id' | 'tenderType' | 'amount' | 'status'>;

export function orderCompletedPayload(o: OrderFacts, items: readonly ItemFacts[], payments: readonly PaymentFacts[]) {
  return {
    order_id: o.id,
    client_id: o.clientId,
    receipt_number: o.receiptNumber,
    outlet_id: o.outletId,
    terminal_id: o.terminalId,
    cashier_membership_id: o.cashierMembershipId,
    customer_id: o.customerId,
    table_id: o.tableId,
    order_type: o.orderType,
    channel: o.channel,
    business_date: o.businessDate,
    currency: o.currency,
    totals: {
      subtotal: n(o.subtotal),
      discount_total: n(o.discountTotal),
      service_charge_total: n(o.serviceChargeTotal),
      tax_total: n(o.taxTotal),
      tip_total: n(o.tipTotal),
      rounding_adjustment: n(o.roundingAdjustment),
      total: n(o.total),
      paid_total: n(o.paidTotal),
      change: n(o.changeTotal),
    },
    lines: items.map((i) => ({
      item_id: i.id,
      product_id: i.productId,
      variant_id: i.variantId,
      sku: i.sku,
      name: i.name,
      variant_name: i.variantName,
      quantity: quantityJson(quantityFromDb(i.quantity)),
      unit_price: n(i.unitPrice),
      subtotal: n(i.subtotal),
      discount_total: n(i.discountTotal),
      tax_total: n(i.taxTotal),
      total: n(i.total),
      track_stock: i.trackStock,
      modifiers: (i.modifiers as LineModifier[]).map((m) => ({ modifier_id: m.modifier_id, quantity: m.quantity, linked_variant_id: m.linked_variant_id ?? null })),
    })),
    payments: payments.filter((p) => p.status === 'CAPTURED').map((p) => ({ payment_id: p.id, tender_type: p.tenderType, amount: n(p.amount) })),
    completed_at: o.completedAt ? o.completedAt.toISOString() : null,
  };
}

export async function recordOrderCompleted(tx: TxScope, o: OrderFacts, items: readonly ItemFacts[], payments: readonly PaymentFacts[]): Promise<void> {
  await recordEvent(tx, { type: OrderEvents.ORDER_COMPLETED, aggregateType: 'order', aggregateId: o.id, payload: orderCompletedPayload(o, items, payments) });
}

export async function recordOrderVoided(tx: TxScope, o: Pick<Order, 'id' | 'outletId' | 'voidReason' | 'status' | 'total' | 'currency'> & { previousStatus: string; voidedBy: string | null }): Promise<void> {
  await recordEvent(tx, {
    type: OrderEvents.ORDER_VOIDED,
    aggregateType: 'order',
    aggregateId: o.id,
    payload: { order_id: o.id, outlet_id: o.outletId, previous_status: o.previousStatus, reason: o.voidReason, voided_by: o.voidedBy, currency: o.currency, total: n(o.total) },
  });
}

export interface RefundEventFacts {
  refundId: string;
  orderId: string;
  outletId: string;
  receiptNumber: string;
  orderReceiptNumber: string | null;
  customerId: string | null;
  currency: string;
  amount: bigint;
  reason: string;
  businessDate: string;
  lines: { itemId: string; variantId: string; productId: string; quantity: string; amount: bigint; restock: boolean; trackStock: boolean }[];
  tenders: { paymentId: string; tenderType: string; amount: bigint }[];
}

export async function recordOrderRefunded(tx: TxScope, f: RefundEventFacts): Promise<void> {
  await recordEvent(tx, {
    type: OrderEvents.ORDER_REFUNDED,
    aggregateType: 'order',
    aggregateId: f.orderId,
    payload: {
      refund_id: f.refundId,
      order_id: f.orderId,
      outlet_id: f.outletId,
      receipt_number: f.receiptNumber,
      order_receipt_number: f.orderReceiptNumber,
      customer_id: f.customerId,
      currency: f.currency,
      amount: n(f.amount),
      reason: f.reason,
      business_date: f.businessDate,
      lines: f.lines.map((l) => ({ item_id: l.itemId, variant_id: l.variantId, product_id: l.productId, quantity: Number(l.quantity), amount: n(l.amount), restock: l.restock, track_stock: l.trackStock })),
      tenders: f.tenders.map((t) => ({ payment_id: t.paymentId, tender_type: t.tenderType, amount: n(t.amount) })),
    },
  });
}
