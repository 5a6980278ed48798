import { localTime } from '../catalog/index.js';
import { formatQuantity, quantityFromDb } from './quantity.js';
import { formatRateBp } from './receipt-money.js';
import type { OrderGraph } from './actions/order-access.js';
import type { LineModifier, Payment } from './sales.schema.js';

/**
 * The structured receipt (issue 4, Receipts): everything a printed receipt shows, built by pure functions from
 * an order graph, the tenant and the outlet. Money stays integer minor units (bigint); renderers format it.
 * Keys are snake_case because this object is also the JSON receipt as served.
 */
export interface Receipt {
  kind: 'sale' | 'refund';
  order_id: string;
  refund_id: string | null;
  receipt_number: string | null;
  /** Refund receipts: the sale they refund. */
  original_receipt_number: string | null;
  /** A voided order's receipt: marked VOID everywhere. */
  void: boolean;
  void_reason: string | null;
  /** Every fetch after the first is a copy; print_number counts fetches (1 = the original). */
  copy: boolean;
  print_number: number;
  currency: string;
  header: { tenant_name: string; outlet_name: string; address_lines: string[]; phone: string | null; text_lines: string[] };
  business_date: string;
  issued_at: string;
  /** issued_at in the outlet's time zone: "YYYY-MM-DD HH:MM". */
  local_time: string;
  time_zone: string;
  cashier: string | null;
  lines: ReceiptLine[];
  subtotal: bigint;
  discounts: ReceiptAmount[];
  discount_total: bigint;
  service_charges: ReceiptAmount[];
  taxes: ReceiptTax[];
  tax_total: bigint;
  tip: bigint;
  rounding: bigint;
  total: bigint;
  tenders: ReceiptTender[];
  change: bigint;
  reason: string | null;
  footer_lines: string[];
}
export interface ReceiptAmount { label: string; amount: bigint }
export interface ReceiptTax { name: string; rate_bp: number; inclusive: boolean; label: string; amount: bigint }
export interface ReceiptLine {
  name: string;
  variant: string | null;
  modifiers: ReceiptAmount[];
  /** "2", or "0.25" for a weighed variant. */
  quantity: string;
  unit_price: bigint;
  /** Before discounts: quantity × (unit price + modifiers). */
  line_total: bigint;
  discounts: ReceiptAmount[];
}
export interface ReceiptTender { type: string; label: string; amount: bigint; tendered: bigint | null; change: bigint | null; card_brand: string | null; card_last4: string | null }

export interface ReceiptParty {
  tenant: { name: string; receiptHeader: string | null; receiptFooter: string | null };
  outlet: { name: string; addressLine1: string | null; addressLine2: string | null; city: string | null; region: string | null; postalCode: string | null; phone: string | null; timeZone: string };
  cashier: string | null;
  printNumber: number;
  /** Mark as a copy even on the first fetch (copy=true). */
  forceCopy?: boolean;
}

type J = Record<string, unknown>;
const big = (v: unknown): bigint => (typeof v === 'bigint' ? v : BigInt((v as string | number | undefined) ?? 0));
export const textLines = (s: string | null): string[] => (s ? s.split(/\r?\n/).map((l) => l.trimEnd()) : []);

export function receiptHeader(p: ReceiptParty): Receipt['header'] {
  const o = p.outlet;
  const cityLine = [o.city, o.region, o.postalCode].filter(Boolean).join(', ');
  return {
    tenant_name: p.tenant.name,
    outlet_name: o.name,
    address_lines: [o.addressLine1, o.addressLine2, cityLine].filter((l): l is string => !!l),
    phone: o.phone,
    text_lines: textLines(p.tenant.receiptHeader),
  };
}

export function localStamp(at: Date, timeZone: string): string {
  const l = localTime(at, timeZone);
  return `${l.date} ${String(Math.floor(l.minute / 60)).padStart(2, '0')}:${String(l.minute % 60).padStart(2, '0')}`;
}

/** A promotion's discount is named by the promotion (it has an id and a name); the cashier's own says Discount. */
const discountLabel = (d: J): string => {
  if (typeof d.id === 'string' && typeof d.name === 'string' && d.name) return d.name;
  const rate = typeof d.rateBp === 'number' ? ` ${formatRateBp(d.rateBp)}` : '';
  return `Discount${rate}`;
};

function modifierLines(mods: readonly LineModifier[]): ReceiptAmount[] {
  return mods.map((m) => ({ label: `${m.quantity > 1 ? `${m.quantity} x ` : ''}${m.name ?? 'Modifier'}`, amount: big(m.price_delta) * BigInt(m.quantity) }));
}

const TENDER_LABELS: Record<string, string> = { CASH: 'Cash', CARD: 'Card', EXTERNAL: 'Other', STORE_CREDIT: 'Store credit', LOYALTY_POINTS: 'Points' };

/** A tender as printed: card brand and last four only, never more of a card. */
export function tenderOf(p: Payment, amount = p.amount, withCash = true): ReceiptTender {
  const card = p.tenderType === 'CARD';
  const label = card ? `${p.cardBrand ?? 'Card'}${p.cardLast4 ? ` ****${p.cardLast4}` : ''}` : p.tenderType === 'EXTERNAL' && p.provider ? p.provider : (TENDER_LABELS[p.tenderType] ?? p.tenderType);
  const cash = withCash && p.tenderType === 'CASH';
  return { type: p.tenderType, label, amount, tendered: cash ? (p.tendered ?? p.amount) : null, change: cash ? (p.change ?? 0n) : null, card_brand: card ? p.cardBrand : null, card_last4: card ? p.cardLast4 : null };
}

const base = (g: OrderGraph, p: ReceiptParty) => ({
  order_id: g.order.id,
  void: false,
  void_reason: null,
  copy: p.printNumber > 1 || p.forceCopy === true,
  print_number: p.printNumber,
  currency: g.order.currency,
  header: receiptHeader(p),
  business_date: g.order.businessDate,
  time_zone: p.outlet.timeZone,
  cashier: p.cashier,
  tip: 0n,
  rounding: 0n,
  reason: null,
  footer_lines: textLines(p.tenant.receiptFooter),
});

/** The receipt of a COMPLETED (or VOIDED, marked VOID) order. */
export function buildSaleReceipt(g: OrderGraph, p: ReceiptParty): Receipt {
  const o = g.order;
  const pricing = (o.pricing ?? {}) as J;
  const at = o.completedAt ?? o.voidedAt ?? o.createdAt;
  const lines = [...g.items].sort((a, b) => a.lineNo - b.lineNo).map((i): ReceiptLine => ({
    name: i.name,
    variant: i.variantName && i.variantName !== i.name && i.variantName.toLowerCase() !== 'default' ? i.variantName : null,
    modifiers: modifierLines(i.modifiers),
    quantity: formatQuantity(quantityFromDb(i.quantity)),
    unit_price: i.unitPrice,
    line_total: i.subtotal,
    discounts: (i.discounts as J[]).filter((d) => d.scope === 'line' && big(d.amount) !== 0n).map((d) => ({ label: discountLabel(d), amount: big(d.amount) })),
  }));
  const lineDiscounts = lines.reduce((a, l) => a + l.discounts.reduce((b, d) => b + d.amount, 0n), 0n);
  const orderDiscount = o.discountTotal - lineDiscounts;
  const discounts: ReceiptAmount[] = [];
  if (lineDiscounts !== 0n) discounts.push({ label: 'Item discounts', amount: lineDiscounts });
  if (orderDiscount !== 0n) discounts.push({ label: o.discountReason ? `Discount (${o.discountReason})` : 'Order discount', amount: orderDiscount });
  const captured = g.payments.filter((x) => x.status === 'CAPTURED');
  return {
    ...base(g, p),
    kind: 'sale',
    refund_id: null,
    receipt_number: o.receiptNumber,
    original_receipt_number: null,
    void: o.status === 'VOIDED',
    void_reason: o.voidReason,
    issued_at: at.toISOString(),
    local_time: localStamp(at, p.outlet.timeZone),
    lines,
    subtotal: o.subtotal,
    discounts,
    discount_total: o.discountTotal,
    service_charges: ((pricing.serviceCharges as J[] | undefined) ?? []).map((s) => ({ label: String(s.name), amount: big(s.amount) })),
    taxes: ((pricing.taxes as J[] | undefined) ?? []).map((t) => taxOf(String(t.name), Number(t.rateBp), t.inclusive === true, big(t.amount))),
    tax_total: o.taxTotal,
    tip: o.tipTotal,
    rounding: o.roundingAdjustment,
    total: o.total,
    tenders: captured.map((x) => tenderOf(x)),
    change: o.changeTotal,
  };
}

export const taxOf = (name: string, rateBp: number, inclusive: boolean, amount: bigint): ReceiptTax => ({
  name,
  rate_bp: rateBp,
  inclusive,
  label: `${name} ${formatRateBp(rateBp)}${inclusive ? ' (incl.)' : ''}`,
  amount,
});
