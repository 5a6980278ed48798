import { z } from 'zod';
import { quantityFromDb, quantityJson, type LineModifier, type OrderGraph, type Payment, type PaymentResult, type PricedRequest, type Refund } from '../../../modules/sales/index.js';
import type { AppliedTax, TaxBreakdown } from '../../../modules/sales/index.js';
import { iso, timestamp } from './common.js';

/** Money is integer minor units (a JSON integer), beside its ISO 4217 currency. */
const minor = () => z.number().int().describe('Integer minor units');
const id = () => z.string();
const nid = () => z.string().nullable();

const discountView = z.object({ type: z.enum(['percentage', 'fixed']), rate_bp: z.number().int().optional(), amount: minor().optional(), reason: z.string().nullable() }).nullable();
const presentDiscount = (type: string | null, value: bigint | null, reason: string | null) =>
  type === null || value === null ? null : type === 'percentage' ? { type, rate_bp: Number(value), reason } : { type, amount: value, reason };

const taxLineView = z.object({ id: z.string(), name: z.string(), rate_bp: z.number().int(), inclusive: z.boolean(), compound: z.boolean(), amount: minor() });
type StoredTax = Record<string, unknown>;
/** A promotion's part of a line: a line discount with an id (the cashier's own discounts have none). */
const appliedPromotionView = z.object({ promotion_id: z.string(), name: z.string(), amount: minor() });
const presentPromotions = (discounts: readonly Record<string, unknown>[]) =>
  discounts.filter((d) => typeof d.id === 'string').map((d) => ({ promotion_id: d.id as string, name: (d.name as string | undefined) ?? '', amount: Number(d.amount) }));
const presentStoredTax = (t: StoredTax) => ({ id: t.id as string, name: t.name as string, rate_bp: t.rateBp as number, inclusive: t.inclusive as boolean, compound: t.compound as boolean, amount: Number(t.amount) });
const presentTax = (t: AppliedTax) => ({ id: t.id, name: t.name, rate_bp: t.rateBp, inclusive: t.inclusive, compound: t.compound, amount: t.amount });
const taxTotalView = taxLineView.extend({ taxable_amount: minor() });

export const orderItemView = z.object({
  id: id(),
  line_no: z.number().int(),
  product_id: id(),
  variant_id: id(),
  name: z.string(),
  variant_name: z.string(),
  sku: nid(),
  quantity: z.number().describe('An integer, or up to three decimals for weighed variants'),
  unit_price: minor(),
  modifiers: z.array(z.object({ modifier_id: id(), group_id: nid(), name: z.string().nullable(), quantity: z.number().int(), price_delta: minor().nullable() })),
  discount: discountView,
  seat: z.number().int().nullable(),
  notes: z.string().nullable(),
  subtotal: minor(),
  discount_total: minor(),
  tax_total: minor(),
  total: minor(),
  taxes: z.array(taxLineView),
  promotions: z.array(appliedPromotionView).describe('The promotions that took something off this line'),
  refunded_quantity: z.number(),
  refunded_amount: minor(),
});

export const paymentView = z.object({
  id: id(),
  order_id: id(),
  tender_type: z.string(),
  status: z.enum(['PENDING', 'AUTHORIZED', 'CAPTURED', 'FAILED', 'VOIDED']),
  currency: z.string(),
  amount: minor().describe('What the payment applies to the order'),
  tendered: minor().nullable().describe('Cash: what the customer handed over'),
  change: minor().nullable().describe('Cash: what went back'),
  refunded_amount: minor(),
  card_brand: nid(),
  card_last4: nid(),
  card_reference: nid(),
  provider: nid(),
  provider_reference: nid(),
  failure_reason: nid(),
  idempotency_key: z.string(),
  created_at: timestamp(),
  captured_at: timestamp().nullable(),
});
export const presentPayment = (p: Payment) => ({
  id: p.id,
  order_id: p.orderId,
  tender_type: p.tenderType,
  status: p.status,
  currency: p.currency,
  amount: p.amount,
  tendered: p.tendered,
  change: p.change,
  refunded_amount: p.refundedAmount,
  card_brand: p.cardBrand,
  card_last4: p.cardLast4,
  card_reference: p.cardReference,
  provider: p.provider,
  provider_reference: p.providerReference,
  failure_reason: p.failureReason,
  idempotency_key: p.idempotencyKey,
  created_at: iso(p.createdAt)!,
  captured_at: iso(p.capturedAt),
});

export const refundView = z.object({
  id: id(),
  order_id: id(),
  receipt_number: z.string(),
  kind: z.enum(['items', 'amount', 'full']),
  currency: z.string(),
  amount: minor(),
  reason: z.string(),
  business_date: z.string(),
  created_at: timestamp(),
  lines: z.array(z.object({ item_id: id(), quantity: z.number(), amount: minor(), tax_amount: minor(), restock: z.boolean() })),
  tenders: z.array(z.object({ payment_id: id(), tender_type: z.string(), amount: minor(), status: z.string() })),
});
type RefundWithParts = OrderGraph['refunds'][number];
export const presentRefund = (r: RefundWithParts) => ({
  id: r.id,
  order_id: r.orderId,
  receipt_number: r.receiptNumber,
  kind: r.kind,
  currency: r.currency,
  amount: r.amount,
  reason: r.reason,
  business_date: r.businessDate,
  created_at: iso(r.createdAt)!,
  lines: r.lines.map((l) => ({ item_id: l.orderItemId, quantity: quantityJson(quantityFromDb(l.quantity)), amount: l.amount, tax_amount: l.taxAmount, restock: l.restock })),
  tenders: r.tenders.map((t) => ({ payment_id: t.paymentId, tender_type: t.tenderType, amount: t.amount, status: t.status })),
});

export const orderView = z.object({
  id: id(),
  client_id: nid(),
  outlet_id: id(),
  terminal_id: nid(),
  cashier_membership_id: nid(),
  customer_id: nid(),
  table_id: nid(),
  order_type: z.string(),
  channel: z.string(),
  notes: nid(),
  status: z.enum(['DRAFT', 'OPEN', 'COMPLETED', 'VOIDED']),
  payment_status: z.enum(['UNPAID', 'PARTIALLY_PAID', 'PAID', 'PARTIALLY_REFUNDED', 'REFUNDED']),
  version: z.number().int(),
  currency: z.string(),
  discount: discountView,
  subtotal: minor(),
  discount_total: minor(),
  service_charge_total: minor(),
  tax_total: minor(),
  tip_total: minor(),
  rounding_adjustment: minor(),
  total: minor(),
  paid_total: minor(),
  change_due: minor().describe('Cash handed back over all cash payments'),
  balance_due: minor(),
  refunded_total: minor(),
  taxes: z.array(taxTotalView),
  receipt_number: nid(),
  business_date: z.string(),
  void_reason: nid(),
  created_at: timestamp(),
  updated_at: timestamp(),
  finalized_at: timestamp().nullable(),
  completed_at: timestamp().nullable(),
  voided_at: timestamp().nullable(),
  items: z.array(orderItemView),
  payments: z.array(paymentView),
  refunds: z.array(refundView),
});

export function presentOrder({ order: o, items, payments, refunds }: OrderGraph) {
  const taxes = ((o.pricing?.taxes as StoredTax[] | undefined) ?? []).map((t) => ({ ...presentStoredTax(t), taxable_amount: Number(t.taxableAmount) }));
  return {
    id: o.id,
    client_id: o.clientId,
    outlet_id: o.outletId,
    terminal_id: o.terminalId,
    cashier_membership_id: o.cashierMembershipId,
    customer_id: o.customerId,
    table_id: o.tableId,
    order_type: o.orderType,
    channel: o.channel,
    notes: o.notes,
    status: o.status,
    payment_status: o.paymentStatus,
    version: o.version,
    currency: o.currency,
    discount: presentDiscount(o.discountType, o.discountValue, o.discountReason),
    subtotal: o.subtotal,
    discount_total: o.discountTotal,
    service_charge_total: o.serviceChargeTotal,
    tax_total: o.taxTotal,
    tip_total: o.tipTotal,
    rounding_adjustment: o.roundingAdjustment,
    total: o.total,
    paid_total: o.paidTotal,
    change_due: o.changeTotal,
    balance_due: o.total > o.paidTotal ? o.total - o.paidTotal : 0n,
    refunded_total: o.refundedTotal,
    taxes,
    receipt_number: o.receiptNumber,
    business_date: o.businessDate,
    void_reason: o.voidReason,
    created_at: iso(o.createdAt)!,
    updated_at: iso(o.updatedAt)!,
    finalized_at: iso(o.finalizedAt),
    completed_at: iso(o.completedAt),
    voided_at: iso(o.voidedAt),
    items: items.map((i) => ({
      id: i.id,
      line_no: i.lineNo,
      product_id: i.productId,
      variant_id: i.variantId,
      name: i.name,
      variant_name: i.variantName,
      sku: i.sku,
      quantity: quantityJson(quantityFromDb(i.quantity)),
      unit_price: i.unitPrice,
      modifiers: (i.modifiers as LineModifier[]).map((m) => ({ modifier_id: m.modifier_id, group_id: m.group_id, name: m.name ?? null, quantity: m.quantity, price_delta: m.price_delta === undefined ? null : Number(m.price_delta) })),
      discount: presentDiscount(i.discountType, i.discountValue, i.discountReason),
      seat: i.seat,
      notes: i.notes,
      subtotal: i.subtotal,
      discount_total: i.discountTotal,
      tax_total: i.taxTotal,
      total: i.total,
      taxes: (i.taxes as StoredTax[]).map(presentStoredTax),
      promotions: presentPromotions(i.discounts as Record<string, unknown>[]),
      refunded_quantity: quantityJson(quantityFromDb(i.refundedQuantity)),
      refunded_amount: i.refundedAmount,
    })),
    payments: payments.map(presentPayment),
    refunds: refunds.map(presentRefund),
  };
}

export const paymentResultView = z.object({ payment: paymentView, order: orderView, replayed: z.boolean() });
export const presentPaymentResult = (r: PaymentResult) => ({ payment: presentPayment(r.payment), order: presentOrder(r.graph), replayed: r.replayed });

export const refundResultView = z.object({ refund: refundView, order: orderView, replayed: z.boolean() });
export const presentRefundResult = (r: { graph: OrderGraph; refund: Refund; replayed: boolean }) => {
  const full = r.graph.refunds.find((x) => x.id === r.refund.id) ?? { ...r.refund, lines: [], tenders: [] };
  return { refund: presentRefund(full), order: presentOrder(r.graph), replayed: r.replayed };
};

// ---- calculate ---------------------------------------------------------------------------------------------

const breakdownView = z.object({ id: z.string(), name: z.string(), rate_bp: z.number().int(), inclusive: z.boolean(), compound: z.boolean(), taxable_amount: minor(), amount: minor() });
const presentBreakdown = (t: TaxBreakdown) => ({ id: t.id, name: t.name, rate_bp: t.rateBp, inclusive: t.inclusive, compound: t.compound, taxable_amount: t.taxableAmount, amount: t.amount });

export const calculationView = z.object({
  outlet_id: z.string(),
  currency: z.string(),
  lines: z.array(
    z.object({
      product_id: z.string(),
      variant_id: z.string(),
      name: z.string(),
      variant_name: z.string(),
      sku: z.string().nullable(),
      quantity: z.number(),
      unit_price: minor(),
      price_book_id: z.string(),
      modifier_unit_amount: minor(),
      effective_unit_price: minor(),
      gross: minor(),
      line_discount_total: minor(),
      promotions: z.array(appliedPromotionView),
      order_discount_share: minor(),
      net: minor(),
      taxes: z.array(taxLineView),
      inclusive_tax: minor(),
      exclusive_tax: minor(),
      tax_total: minor(),
      tax_base: minor(),
      total: minor(),
    }),
  ),
  subtotal: minor(),
  line_discount_total: minor(),
  order_discount_total: minor(),
  discount_total: minor(),
  net_total: minor(),
  service_charge_total: minor(),
  service_charge_tax_total: minor(),
  taxes: z.array(breakdownView),
  tax_total: minor(),
  inclusive_tax_total: minor(),
  exclusive_tax_total: minor(),
  tip: minor(),
  total_before_rounding: minor(),
  rounding_adjustment: minor(),
  total: minor(),
});

export function presentCalculation(r: PricedRequest) {
  const p = r.priced;
  return {
    outlet_id: r.outlet.id,
    currency: p.currency,
    lines: p.lines.map((l, n) => {
      const b = r.built[n]!;
      return {
        product_id: b.variant.productId,
        variant_id: b.variant.id,
        name: b.variant.productName,
        variant_name: b.variant.name,
        sku: b.variant.sku ?? b.variant.productSku,
        quantity: Number(l.quantity.units) / 10 ** l.quantity.scale,
        unit_price: l.unitPrice,
        price_book_id: b.priceBookId,
        modifier_unit_amount: l.modifierUnitAmount,
        effective_unit_price: l.effectiveUnitPrice,
        gross: l.gross,
        line_discount_total: l.lineDiscountTotal,
        promotions: presentPromotions(l.lineDiscounts as unknown as Record<string, unknown>[]),
        order_discount_share: l.orderDiscountShare,
        net: l.net,
        taxes: l.taxes.map(presentTax),
        inclusive_tax: l.inclusiveTax,
        exclusive_tax: l.exclusiveTax,
        tax_total: l.taxTotal,
        tax_base: l.taxBase,
        total: l.total,
      };
    }),
    subtotal: p.subtotal,
    line_discount_total: p.lineDiscountTotal,
    order_discount_total: p.orderDiscountTotal,
    discount_total: p.discountTotal,
    net_total: p.netTotal,
    service_charge_total: p.serviceChargeTotal,
    service_charge_tax_total: p.serviceChargeTaxTotal,
    taxes: p.taxes.map(presentBreakdown),
    tax_total: p.taxTotal,
    inclusive_tax_total: p.inclusiveTaxTotal,
    exclusive_tax_total: p.exclusiveTaxTotal,
    tip: p.tip,
    total_before_rounding: p.totalBeforeRounding,
    rounding_adjustment: p.roundingAdjustment,
    total: p.total,
  };
}
