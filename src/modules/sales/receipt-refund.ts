import type { OrderGraph } from './actions/order-access.js';
import { formatQuantity, quantityFromDb } from './quantity.js';
import { localStamp, receiptHeader, tenderOf, textLines, type Receipt, type ReceiptLine, type ReceiptParty } from './receipt.js';

type RefundWithParts = OrderGraph['refunds'][number];

/**
 * A refund's own receipt: its number in the outlet's refund series, the sale it refunds, the lines and
 * quantities given back (each at what was refunded for it, taxes included), and the tenders the money went
 * back to. An amount refund has no lines, only its total.
 */
export function buildRefundReceipt(g: OrderGraph, refund: RefundWithParts, p: ReceiptParty): Receipt {
  const items = new Map(g.items.map((i) => [i.id, i]));
  const lines = refund.lines.map((l): ReceiptLine => {
    const item = items.get(l.orderItemId);
    const quantity = quantityFromDb(l.quantity);
    return {
      name: item?.name ?? 'Item',
      variant: item && item.variantName && item.variantName !== item.name && item.variantName.toLowerCase() !== 'default' ? item.variantName : null,
      modifiers: [],
      quantity: formatQuantity(quantity),
      unit_price: item?.unitPrice ?? 0n,
      line_total: l.amount,
      discounts: [],
    };
  });
  const payments = new Map(g.payments.map((x) => [x.id, x]));
  const tenders = refund.tenders.map((t) => {
    const pay = payments.get(t.paymentId);
    return pay ? tenderOf(pay, t.amount, false) : { type: t.tenderType, label: t.tenderType, amount: t.amount, tendered: null, change: null, card_brand: null, card_last4: null };
  });
  return {
    kind: 'refund',
    order_id: g.order.id,
    refund_id: refund.id,
    receipt_number: refund.receiptNumber,
    original_receipt_number: g.order.receiptNumber,
    void: false,
    void_reason: null,
    copy: p.printNumber > 1 || p.forceCopy === true,
    print_number: p.printNumber,
    currency: refund.currency,
    header: receiptHeader(p),
    business_date: refund.businessDate,
    issued_at: refund.createdAt.toISOString(),
    local_time: localStamp(refund.createdAt, p.outlet.timeZone),
    time_zone: p.outlet.timeZone,
    cashier: p.cashier,
    lines,
    subtotal: lines.reduce((a, x) => a + x.line_total, 0n),
    discounts: [],
    discount_total: 0n,
    service_charges: [],
    taxes: [],
    tax_total: refund.lines.reduce((a, x) => a + x.taxAmount, 0n),
    tip: 0n,
    rounding: 0n,
    total: refund.amount,
    tenders,
    change: 0n,
    reason: refund.reason,
    footer_lines: textLines(p.tenant.receiptFooter),
  };
}
