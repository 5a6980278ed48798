import { sql } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { OrderEvents } from './order.events.js';
import { toStoredJson } from './order-pricing.js';
import { nextReceiptSeqCte, receiptNumberExpr } from './receipt.repository.js';
import { preparedRows } from '../../platform/prepared.js';
import type { Order, OrderItem, Payment } from './sales.schema.js';

/**
 * The one-request checkout's write: the receipt number, the order, its lines, its payments and its
 * order.completed event in ONE statement (data-modifying CTEs; foreign keys are checked at the end of the
 * statement, so the lines may refer to the order inserted beside them). The event row is the outbox's own
 * shape (platform/outbox.ts recordEvent writes the same columns); it is inlined because recordEvent costs two
 * more round trips, and it needs the receipt number the counter gives. The caller wakes the relay after
 * commit (platform/db.ts notifyAfterCommit says why not with NOTIFY inside the transaction).
 */

export type CheckoutOrder = Omit<Order, 'tenantId' | 'receiptNumber' | 'receiptSeq' | 'createdAt' | 'updatedAt' | 'finalizedAt' | 'completedAt' | 'voidedAt' | 'voidReason' | 'voidedBy'>;
export type CheckoutItem = Omit<OrderItem, 'tenantId' | 'createdAt' | 'updatedAt'>;
export type CheckoutPayment = Omit<Payment, 'tenantId' | 'createdAt' | 'updatedAt'>;

const json = (v: unknown): string => JSON.stringify(toStoredJson(v));

export async function writeCheckout(
  tx: TxScope,
  w: { order: CheckoutOrder; outletCode: string; items: readonly CheckoutItem[]; payments: readonly CheckoutPayment[]; event: { id: string; payload: unknown } },
): Promise<{ receiptNumber: string; receiptSeq: bigint; createdAt: Date }> {
  const o = w.order;
  const t = tx.tenantId;
  const items = w.items.map((i) => ({
    id: i.id, line_no: i.lineNo, product_id: i.productId, variant_id: i.variantId, quantity: i.quantity, modifiers: i.modifiers,
    discount_type: i.discountType, discount_value: i.discountValue, discount_reason: i.discountReason, seat: i.seat, notes: i.notes,
    name: i.name, variant_name: i.variantName, sku: i.sku, tax_category_id: i.taxCategoryId, track_stock: i.trackStock, unit_price: i.unitPrice,
    price_book_id: i.priceBookId, subtotal: i.subtotal, discount_total: i.discountTotal, tax_total: i.taxTotal, total: i.total, taxes: i.taxes, discounts: i.discounts,
  }));
  const pays = w.payments.map((p) => ({
    id: p.id, tender_type: p.tenderType, status: p.status, currency: p.currency, amount: p.amount, tendered: p.tendered, change: p.change,
    card_brand: p.cardBrand, card_last4: p.cardLast4, card_reference: p.cardReference, provider_reference: p.providerReference,
    idempotency_key: p.idempotencyKey, request_hash: p.requestHash, created_by: p.createdBy,
  }));
  const [r] = await preparedRows<{ receipt_number: string; receipt_seq: bigint | string; created_at: Date | string }>(
    tx,
    'checkout_write',
    sql`
      WITH c AS (${nextReceiptSeqCte(tx, o.outletId, 'sale')}),
      o AS (
        INSERT INTO orders (tenant_id, id, outlet_id, terminal_id, cashier_membership_id, customer_id, table_id, order_type, channel, notes, client_id,
                            status, payment_status, version, currency, discount_type, discount_value, discount_reason, subtotal, discount_total,
                            service_charge_total, tax_total, tip_total, rounding_adjustment, total, paid_total, change_total, refunded_total, pricing,
                            receipt_number, receipt_seq, business_date, finalized_at, completed_at)
        SELECT ${t}, ${o.id}, ${o.outletId}, ${o.terminalId}, ${o.cashierMembershipId}, ${o.customerId}, ${o.tableId}, ${o.orderType}, ${o.channel}, ${o.notes}, ${o.clientId},
               'COMPLETED', 'PAID', 1, ${o.currency}, ${o.discountType}, ${o.discountValue}, ${o.discountReason}, ${o.subtotal}, ${o.discountTotal},
               ${o.serviceChargeTotal}, ${o.taxTotal}, ${o.tipTotal}, ${o.roundingAdjustment}, ${o.total}, ${o.paidTotal}, ${o.changeTotal}, 0, ${json(o.pricing)}::jsonb,
               ${receiptNumberExpr(w.outletCode, 'sale', sql`c.last_value`)}, c.last_value, ${o.businessDate}::date, now(), now()
          FROM c
        RETURNING receipt_number, receipt_seq, created_at),
      i AS (
        INSERT INTO order_items (tenant_id, order_id, id, line_no, product_id, variant_id, quantity, modifiers, discount_type, discount_value, discount_reason,
                                 seat, notes, name, variant_name, sku, tax_category_id, track_stock, unit_price, price_book_id, subtotal, discount_total,
                                 tax_total, total, taxes, discounts)
        SELECT ${t}, ${o.id}, x.id, x.line_no, x.product_id, x.variant_id, x.quantity, x.modifiers, x.discount_type, x.discount_value, x.discount_reason,
               x.seat, x.notes, x.name, x.variant_name, x.sku, x.tax_category_id, x.track_stock, x.unit_price, x.price_book_id, x.subtotal, x.discount_total,
               x.tax_total, x.total, x.taxes, x.discounts
          FROM jsonb_to_recordset(${json(items)}::jsonb) AS x(id uuid, line_no integer, product_id uuid, variant_id uuid, quantity numeric, modifiers jsonb,
               discount_type text, discount_value bigint, discount_reason text, seat integer, notes text, name text, variant_name text, sku text,
               tax_category_id uuid, track_stock boolean, unit_price bigint, price_book_id uuid, subtotal bigint, discount_total bigint, tax_total bigint,
               total bigint, taxes jsonb, discounts jsonb)),
      p AS (
        INSERT INTO payments (tenant_id, id, order_id, tender_type, status, currency, amount, tendered, change, card_brand, card_last4, card_reference,
                              provider_reference, idempotency_key, request_hash, created_by, captured_at)
        SELECT ${t}, x.id, ${o.id}, x.tender_type, x.status, x.currency, x.amount, x.tendered, x.change, x.card_brand, x.card_last4, x.card_reference,
               x.provider_reference, x.idempotency_key, x.request_hash, x.created_by, now()
          FROM jsonb_to_recordset(${json(pays)}::jsonb) AS x(id uuid, tender_type text, status text, currency text, amount bigint, tendered bigint, change bigint,
               card_brand text, card_last4 text, card_reference text, provider_reference text, idempotency_key text, request_hash text, created_by uuid)),
      e AS (
        INSERT INTO outbox_events (tenant_id, id, type, aggregate_type, aggregate_id, payload)
        SELECT ${t}, ${w.event.id}, ${OrderEvents.ORDER_COMPLETED}, 'order', ${o.id},
               ${json(w.event.payload)}::jsonb || jsonb_build_object('receipt_number', o.receipt_number)
          FROM o)
      SELECT o.receipt_number, o.receipt_seq, o.created_at FROM o`,
  );
  return { receiptNumber: r!.receipt_number, receiptSeq: BigInt(r!.receipt_seq), createdAt: new Date(r!.created_at) };
}
