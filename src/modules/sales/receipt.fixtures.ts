import type { OrderGraph } from './actions/order-access.js';
import type { ReceiptParty } from './receipt.js';
import type { Order, OrderItem, Payment } from './sales.schema.js';

// Test fixtures for the receipt renderers (not imported by production code): a completed IDR dine-in sale
// of two lines, one weighed, with a modifier, a line discount, a service charge, PPN inclusive and exclusive,
// cash rounding, and a cash + card split.
const at = new Date('2026-11-21T07:05:00Z'); // 14:05 in Asia/Jakarta

export const party = (over: Partial<ReceiptParty> = {}): ReceiptParty => ({
  tenant: { name: 'Warung Kopi Nusantara', receiptHeader: 'NPWP 01.234.567.8-901.000', receiptFooter: 'Terima kasih!\nFollow @warungkopi' },
  outlet: { name: 'Jakarta Pusat', addressLine1: 'Jl. Sabang No. 12', addressLine2: null, city: 'Jakarta', region: null, postalCode: '10330', phone: '021-555-0101', timeZone: 'Asia/Jakarta' },
  cashier: 'Budi',
  printNumber: 1,
  ...over,
});

export function item(over: Partial<OrderItem>): OrderItem {
  return {
    tenantId: 't', orderId: 'o1', id: 'i1', lineNo: 1, productId: 'p', variantId: 'v', quantity: '1.000', modifiers: [], discountType: null, discountValue: null, discountReason: null,
    seat: null, notes: null, name: 'Item', variantName: 'Default', sku: null, taxCategoryId: null, trackStock: false, unitPrice: 0n, priceBookId: null, subtotal: 0n,
    discountTotal: 0n, taxTotal: 0n, total: 0n, taxes: [], discounts: [], refundedQuantity: '0.000', refundedAmount: 0n, createdAt: at, updatedAt: at,
    ...over,
  };
}

export function payment(over: Partial<Payment>): Payment {
  return {
    tenantId: 't', id: 'pay1', orderId: 'o1', tenderType: 'CASH', status: 'CAPTURED', currency: 'IDR', amount: 0n, tendered: null, change: null, refundedAmount: 0n,
    cardBrand: null, cardLast4: null, cardReference: null, provider: null, providerReference: null, failureReason: null, idempotencyKey: 'k', requestHash: 'h',
    createdBy: null, createdAt: at, updatedAt: at, capturedAt: at,
    ...over,
  };
}

export function saleGraph(over: Partial<Order> = {}): OrderGraph {
  const order: Order = {
    tenantId: 't', id: 'o1', outletId: 'out', terminalId: null, cashierMembershipId: null, customerId: null, tableId: null, orderType: 'dine_in', channel: 'pos',
    notes: null, clientId: null, status: 'COMPLETED', paymentStatus: 'PAID', version: 5, currency: 'IDR', discountType: null, discountValue: null, discountReason: null,
    subtotal: 7_250_000n, discountTotal: 250_000n, serviceChargeTotal: 350_000n, taxTotal: 773_500n, tipTotal: 0n, roundingAdjustment: -3_500n, total: 8_120_000n,
    paidTotal: 8_120_000n, changeTotal: 1_880_000n, refundedTotal: 0n,
    pricing: {
      serviceCharges: [{ name: 'Service 5%', amount: '350000' }],
      taxes: [{ name: 'PPN', rateBp: 1100, inclusive: false, amount: '773500' }, { name: 'PB1', rateBp: 1000, inclusive: true, amount: '45455' }],
    },
    receiptNumber: 'JKT1-000123', receiptSeq: 123n, businessDate: '2026-11-21', voidReason: null, voidedBy: null,
    createdAt: at, updatedAt: at, finalizedAt: at, completedAt: at, voidedAt: null,
    ...over,
  };
  return {
    order,
    items: [
      item({ id: 'i1', lineNo: 1, name: 'Es Kopi Susu Gula Aren Spesial Ukuran Jumbo', variantName: 'Large', quantity: '2.000', unitPrice: 2_500_000n, subtotal: 5_500_000n,
        modifiers: [{ modifier_id: 'm', group_id: 'g', quantity: 1, name: 'Extra shot', price_delta: '250000' }],
        discounts: [{ scope: 'line', type: 'percentage', rateBp: 1000, amount: '250000' }] }),
      item({ id: 'i2', lineNo: 2, name: 'Kopi Bubuk Toraja', variantName: 'Default', quantity: '0.250', unitPrice: 7_000_000n, subtotal: 1_750_000n }),
    ],
    payments: [
      payment({ id: 'pay1', tenderType: 'CASH', amount: 3_120_000n, tendered: 5_000_000n, change: 1_880_000n }),
      payment({ id: 'pay2', tenderType: 'CARD', amount: 5_000_000n, cardBrand: 'VISA', cardLast4: '4242', cardReference: 'AUTH-77' }),
      payment({ id: 'pay3', tenderType: 'CARD', status: 'FAILED', amount: 5_000_000n, cardBrand: 'VISA', cardLast4: '1111' }),
    ],
    refunds: [],
  };
}
