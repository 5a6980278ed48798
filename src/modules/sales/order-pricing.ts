import { validationError } from '../../platform/errors.js';
import { PricingInputError, priceOrder, type AppliedTax, type PricedLine, type PricedOrder, type PricingLineInput, type Quantity as PricingQuantity, type ServiceChargeInput, type TaxRoundingPolicy } from './pricing/index.js';
import { isWhole, type Quantity } from './quantity.js';
import type { DiscountType } from './sales.schema.js';

/**
 * The bridge to the pricing engine (src/modules/sales/pricing): builds its input from an order's lines and
 * order-level fields, turns its input errors into field errors of the request, and stores / restores its
 * output (bigints travel as decimal strings in jsonb).
 */

export const toPricingQuantity = (q: Quantity): PricingQuantity => (isWhole(q) ? { units: q.milli / 1000n, scale: 0 } : { units: q.milli, scale: 3 });

export interface OrderLevel {
  currency: string;
  taxRounding: TaxRoundingPolicy;
  discount: { type: DiscountType; value: bigint } | null;
  tip: bigint;
  /** The order's service charges (serviceChargesFor), applied by the engine after discounts. */
  serviceCharges?: readonly ServiceChargeInput[] | undefined;
  /** Only when the order is settled in cash: the tenant's cash rounding unit (0 = none). */
  cashRoundingUnit?: bigint | undefined;
}

/**
 * Prices the lines. `fields[i]` is the request field line i came from (`items.2`), so an input the engine
 * refuses is reported against the caller's own field names. Hook for promotions: they will add order and line
 * discounts here (the promotions module's `applyPromotions`), before the engine runs.
 */
export function priceLines(lines: readonly PricingLineInput[], o: OrderLevel, fields: readonly string[]): PricedOrder {
  try {
    return priceOrder({
      currency: o.currency,
      taxRounding: o.taxRounding,
      lines,
      orderDiscounts: o.discount ? [o.discount.type === 'percentage' ? { kind: 'percentage', rateBp: Number(o.discount.value) } : { kind: 'fixed', amount: o.discount.value }] : [],
      serviceCharges: o.serviceCharges ?? [],
      tip: o.tip,
      ...(o.cashRoundingUnit && o.cashRoundingUnit > 0n ? { cashRounding: { unit: o.cashRoundingUnit } } : {}),
    });
  } catch (e) {
    if (e instanceof PricingInputError) throw validationError([{ field: requestField(e.field, fields), message: e.message.replace(/^[^:]*: /, '') }]);
    throw e;
  }
}

/** `lines[2].discounts[0].amount` → `items.2.discount.amount`; `orderDiscounts[0]…` → `discount`; `tip` → `tip`. */
export function requestField(engineField: string, fields: readonly string[]): string {
  const line = /^lines\[(\d+)\](?:\.(\w+))?/.exec(engineField);
  if (line) {
    const base = fields[Number(line[1])] ?? `items.${line[1]}`;
    const sub = line[2] === 'discounts' ? 'discount' : line[2];
    return sub ? `${base}.${sub}` : base;
  }
  if (engineField.startsWith('orderDiscounts')) return 'discount';
  return engineField.replace(/\[(\d+)\]/g, '.$1');
}

// ---- storing the engine's output ------------------------------------------------------------------------

/** A copy of `v` with bigints as decimal strings (what jsonb keeps); undefined fields dropped, as JSON would. */
export function toStoredJson(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(toStoredJson);
  const out: Record<string, unknown> = {};
  for (const k in v as Record<string, unknown>) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) out[k] = toStoredJson(x);
  }
  return out;
}

type J = Record<string, unknown>;
const big = (v: unknown): bigint => BigInt(v as string);

const taxFrom = (t: J): AppliedTax => ({
  id: t.id as string,
  name: t.name as string,
  rateBp: t.rateBp as number,
  inclusive: t.inclusive as boolean,
  compound: t.compound as boolean,
  sequence: t.sequence as number,
  amount: big(t.amount),
});

/** Restores one stored PricedLine (what proportionalRefund needs). */
export function pricedLineFrom(j: J): PricedLine {
  const q = j.quantity as J;
  return {
    key: j.key as string,
    quantity: { units: big(q.units), scale: q.scale as number },
    unitPrice: big(j.unitPrice),
    modifierUnitAmount: big(j.modifierUnitAmount),
    effectiveUnitPrice: big(j.effectiveUnitPrice),
    gross: big(j.gross),
    lineDiscounts: (j.lineDiscounts as J[]).map((d) => ({
      index: d.index as number,
      ...(d.id !== undefined ? { id: d.id as string } : {}),
      ...(d.name !== undefined ? { name: d.name as string } : {}),
      kind: d.kind as 'percentage' | 'fixed',
      ...(d.rateBp !== undefined ? { rateBp: d.rateBp as number } : {}),
      requested: big(d.requested),
      amount: big(d.amount),
      capped: d.capped as boolean,
    })),
    lineDiscountTotal: big(j.lineDiscountTotal),
    orderDiscounts: (j.orderDiscounts as J[]).map((d) => ({ index: d.index as number, amount: big(d.amount) })),
    orderDiscountShare: big(j.orderDiscountShare),
    net: big(j.net),
    taxes: (j.taxes as J[]).map(taxFrom),
    inclusiveTax: big(j.inclusiveTax),
    exclusiveTax: big(j.exclusiveTax),
    taxTotal: big(j.taxTotal),
    taxBase: big(j.taxBase),
    total: big(j.total),
  };
}

/** The order-level figures an order row keeps. */
export function orderTotals(p: PricedOrder) {
  return {
    subtotal: p.subtotal,
    discountTotal: p.discountTotal,
    serviceChargeTotal: p.serviceChargeTotal,
    taxTotal: p.taxTotal,
    tipTotal: p.tip,
    roundingAdjustment: p.roundingAdjustment,
    total: p.total,
  };
}

/** The figures an order line keeps (the whole PricedLine goes into the order's pricing snapshot). */
export function lineTotals(l: PricedLine) {
  return {
    unitPrice: l.unitPrice,
    subtotal: l.gross,
    discountTotal: l.lineDiscountTotal + l.orderDiscountShare,
    taxTotal: l.taxTotal,
    total: l.total,
    taxes: toStoredJson(l.taxes) as Record<string, unknown>[],
    discounts: toStoredJson([...l.lineDiscounts.map((d) => ({ scope: 'line', ...d })), ...l.orderDiscounts.map((d) => ({ scope: 'order', ...d }))]) as Record<string, unknown>[],
  };
}
