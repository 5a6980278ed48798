import type { Actor } from '../../../platform/context.js';
import { AppError, validationError } from '../../../platform/errors.js';
import { minorUnits } from '../order.inputs.js';
import { OrderErrors } from '../order.errors.js';
import { toQuantity, type DiscountWire, type ItemWire } from '../order.inputs.js';
import { lineTotals, priceLines, toStoredJson, type OrderLevel } from '../order-pricing.js';
import { serviceChargesFor } from '../service-charge.js';
import type { PricedLine, PricedOrder } from '../pricing/index.js';
import { formatQuantity, quantityFromDb, wholeQuantity } from '../quantity.js';
import type { CatalogSnapshot, SaleOutlet } from '../sale-catalog.repository.js';
import { buildLines, type BuiltLine, type RequestedLine, type SaleContext } from '../sale-lines.js';
import type { DiscountType, LineModifier, Order, OrderItem } from '../sales.schema.js';
import type { TxScope } from '../../../platform/context.js';
import { orderRepository } from '../order.repository.js';
import type { OrderGraph } from './order-access.js';

/** Shared steps of the order actions: where the sale happens, and lines from requests or from stored items. */

export const discountOf = (d: DiscountWire | null | undefined): { type: DiscountType; value: bigint } | null =>
  d ? (d.type === 'percentage' ? { type: 'percentage', value: BigInt(d.rate_bp) } : { type: 'fixed', value: minorUnits(d.amount) }) : null;

export const storedDiscount = (type: DiscountType | null, value: bigint | null) => (type && value !== null ? { type, value } : null);

/** The outlet the order is at: the one named, else the terminal's, else the tenant's first active outlet. */
export function saleOutlet(snap: CatalogSnapshot, input: { outlet_id?: string | undefined; terminal_id?: string | undefined }): SaleOutlet {
  if (input.terminal_id && !snap.terminal) throw validationError([{ field: 'terminal_id', message: 'no such terminal' }]);
  if (input.terminal_id && snap.terminal && input.outlet_id && snap.terminal.outletId !== input.outlet_id) {
    throw validationError([{ field: 'terminal_id', message: 'the terminal belongs to another outlet' }]);
  }
  if (!snap.outlet) {
    if (input.outlet_id) throw validationError([{ field: 'outlet_id', message: 'no such outlet' }]);
    throw new AppError(OrderErrors.ORDER_NO_OUTLET);
  }
  if (!snap.outlet.active) throw new AppError(OrderErrors.ORDER_OUTLET_INACTIVE, { outlet_id: snap.outlet.id });
  return snap.outlet;
}

export function assertCurrency(snap: CatalogSnapshot, given: string | undefined, field = 'currency'): void {
  if (given !== undefined && given !== snap.tenant.currency) {
    throw new AppError(OrderErrors.ORDER_CURRENCY_MISMATCH, { field, currency: given, expected: snap.tenant.currency }, `The order is in ${snap.tenant.currency}, not ${given}`);
  }
}

export const requestedFromWire = (items: readonly ItemWire[], keys: readonly string[], prefix = 'items'): RequestedLine[] =>
  items.map((i, n) => ({
    key: keys[n]!,
    productId: i.product_id,
    variantId: i.variant_id,
    quantity: i.quantity === undefined ? wholeQuantity(1) : toQuantity(i.quantity),
    modifiers: (i.modifiers ?? []).map((m) => ({ modifierId: m.modifier_id, groupId: m.group_id, quantity: m.quantity })),
    discount: discountOf(i.discount),
    field: prefix === '' ? '' : `${prefix}.${n}`,
  }));

/** A stored line as a request again (repricing a DRAFT, finalizing). */
export const requestedFromItems = (items: readonly OrderItem[]): RequestedLine[] =>
  items.map((i, n) => ({
    key: i.id,
    variantId: i.variantId,
    quantity: quantityFromDb(i.quantity),
    modifiers: (i.modifiers as LineModifier[]).map((m) => ({ modifierId: m.modifier_id, groupId: m.group_id ?? undefined, quantity: m.quantity })),
    discount: storedDiscount(i.discountType, i.discountValue),
    field: `items.${n}`,
  }));

export interface PricedLines {
  built: BuiltLine[];
  priced: PricedOrder;
}

/** What the engine takes at order level from the snapshot: the tenant's currency and rounding, the order's service charges. */
export function snapshotLevel(snap: CatalogSnapshot, c: { outletId: string; orderType: string }): Pick<OrderLevel, 'currency' | 'taxRounding' | 'serviceCharges'> {
  return { currency: snap.tenant.currency, taxRounding: snap.tenant.taxRounding, serviceCharges: serviceChargesFor(snap.serviceCharges, snap.taxRules, c) };
}

export function priceRequested(snap: CatalogSnapshot, lines: readonly RequestedLine[], c: SaleContext, level: Omit<OrderLevel, 'currency' | 'taxRounding'>): PricedLines {
  const built = buildLines(snap, lines, c);
  const priced = priceLines(built.map((b) => b.pricing), { ...snapshotLevel(snap, c), ...level }, lines.map((l) => l.field));
  return { built, priced };
}

/** What the line stores of the catalog (name, SKU, modifiers with names and prices) and of the engine. */
export function lineSnapshot(b: BuiltLine, pl: PricedLine) {
  const v = b.variant;
  return {
    name: v.productName,
    variantName: v.name,
    sku: v.sku ?? v.productSku,
    taxCategoryId: v.taxCategoryId,
    trackStock: v.trackStock,
    priceBookId: b.priceBookId,
    modifiers: b.modifiers.map(
      (m): LineModifier => ({ modifier_id: m.modifierId, group_id: m.groupId, quantity: m.quantity, name: m.name, group_name: m.groupName, price_delta: m.priceDelta.toString(), linked_variant_id: m.linkedVariantId }),
    ),
    ...lineTotals(pl),
  };
}

/** A new order_items row. */
export function newItemRow(orderId: string, lineNo: number, b: BuiltLine, pl: PricedLine, extra: { seat?: number | null | undefined; notes?: string | null | undefined; discount?: { reason?: string | undefined } | null | undefined }) {
  return {
    orderId,
    id: b.key,
    lineNo,
    productId: b.variant.productId,
    variantId: b.variant.id,
    quantity: formatQuantity(b.quantity),
    discountType: b.discount?.type ?? null,
    discountValue: b.discount?.value ?? null,
    discountReason: b.discount ? (extra.discount?.reason ?? null) : null,
    seat: extra.seat ?? null,
    notes: extra.notes ?? null,
    refundedQuantity: '0',
    refundedAmount: 0n,
    ...lineSnapshot(b, pl),
  };
}

/** The rows orderRepository.writeLines takes (snake_case keys). */
export const lineWrites = (built: readonly BuiltLine[], priced: PricedOrder): Record<string, unknown>[] =>
  built.map((b, i) => {
    const s = lineSnapshot(b, priced.lines[i]!);
    return {
      id: b.key,
      name: s.name,
      variant_name: s.variantName,
      sku: s.sku,
      tax_category_id: s.taxCategoryId,
      track_stock: s.trackStock,
      unit_price: s.unitPrice,
      price_book_id: s.priceBookId,
      modifiers: s.modifiers,
      subtotal: s.subtotal,
      discount_total: s.discountTotal,
      tax_total: s.taxTotal,
      total: s.total,
      taxes: s.taxes,
      discounts: s.discounts,
    };
  });

/** The order's figures and its pricing snapshot. */
export function orderFigures(p: PricedOrder) {
  return {
    subtotal: p.subtotal,
    discountTotal: p.discountTotal,
    serviceChargeTotal: p.serviceChargeTotal,
    taxTotal: p.taxTotal,
    tipTotal: p.tip,
    roundingAdjustment: p.roundingAdjustment,
    total: p.total,
    pricing: toStoredJson(p) as Record<string, unknown>,
  };
}

/**
 * Writes a DRAFT's repriced lines and figures in one statement and returns the order graph as it now is,
 * built from what the caller holds (a DRAFT has no payments or refunds), without reading it back.
 */
export async function writeDraft(tx: TxScope, order: Order, items: readonly OrderItem[], priced: PricedLines, skip?: string): Promise<OrderGraph> {
  const figures = orderFigures(priced.priced);
  const kept = priced.built.map((b, i) => ({ b, l: priced.priced.lines[i]! })).filter((x) => x.b.key !== skip);
  const updatedAt = await orderRepository.writeLinesAndTotals(tx, order.id, lineWrites(kept.map((x) => x.b), { ...priced.priced, lines: kept.map((x) => x.l) }), figures);
  const snap = new Map(priced.built.map((b, i) => [b.key, lineSnapshot(b, priced.priced.lines[i]!)]));
  return {
    order: { ...order, ...figures, updatedAt },
    items: items.map((it) => ({ ...it, ...snap.get(it.id), updatedAt })),
    payments: [],
    refunds: [],
  };
}

/** The membership that acts, for cashier and audit columns. */
export const actorMembership = (a: Actor): string | null => a.membershipId ?? null;
