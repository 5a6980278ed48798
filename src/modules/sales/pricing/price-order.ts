/**
 * priceOrder: lines → line discounts → order discounts → before-tax service charges → taxes → after-tax
 * service charges → tip → cash rounding. Lines are processed in ascending key order (code-unit order), so
 * every largest-remainder tie goes to the smaller key and the result does not depend on the input order.
 */
import { allocateOrderDiscounts, applyDiscounts } from './discounts.js';
import { ZERO, add } from './fraction.js';
import {
  type AppliedDiscount,
  type AppliedTax,
  type PricedLine,
  type PricedOrder,
  type PricedServiceCharge,
  type PricingInput,
  PricingInputError,
  type TaxBreakdown,
} from './pricing.types.js';
import { timesQuantity } from './quantity.js';
import { cashRounding } from './rounding.js';
import { chargeAmount, chargeRates, pricedCharge } from './service-charge.js';
import { compareRates, computeTaxes, exactTaxBase, sumTaxes, type TaxableItem } from './tax.js';
import { checkInput } from './validate.js';

const total = (xs: readonly bigint[]): bigint => xs.reduce((a, b) => a + b, 0n);

export function priceOrder(input: PricingInput): PricedOrder {
  checkInput(input);
  const { mode, level } = input.taxRounding;
  const canonical = input.lines.map((_, i) => i).sort((a, b) => {
    const ka = input.lines[a]!.key;
    const kb = input.lines[b]!.key;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  const lines = canonical.map((i) => input.lines[i]!);

  // Gross and line discounts.
  const grossed = lines.map((line) => {
    const modifierUnitAmount = total((line.modifiers ?? []).map((m) => m.priceDelta * BigInt(m.quantity ?? 1)));
    const effectiveUnitPrice = line.unitPrice + modifierUnitAmount;
    if (effectiveUnitPrice < 0n) {
      const at = input.lines.indexOf(line);
      throw new PricingInputError('PRICING_NEGATIVE_PRICE', `lines[${at}].modifiers`, 'modifiers take the unit price below 0');
    }
    const gross = timesQuantity(effectiveUnitPrice, line.quantity, mode);
    return { line, modifierUnitAmount, effectiveUnitPrice, gross, ...applyDiscounts(gross, line.discounts ?? [], mode) };
  });

  // Order discounts, allocated over what is left of each line.
  const order = allocateOrderDiscounts(grossed.map((g) => g.remaining), input.orderDiscounts ?? [], mode);
  const nets = order.remaining;
  const lineItems: TaxableItem[] = lines.map((l, i) => ({ net: nets[i]!, taxes: l.taxes ?? [] }));

  // Before-tax service charges on the lines' exact tax-exclusive amounts; taxed with the lines.
  const charges = input.serviceCharges ?? [];
  const exclusiveBase = lineItems.reduce((acc, it) => add(acc, exactTaxBase(it)), ZERO);
  const before = charges.flatMap((s, i) => (s.stage === 'before_tax' ? [{ s, i, ...chargeAmount(s, exclusiveBase, mode) }] : []));
  const taxes = computeTaxes([...lineItems, ...before.map((c) => ({ net: c.amount, taxes: chargeRates(c.s) }))], level, mode);
  const pricedCharges: PricedServiceCharge[] = [];
  before.forEach((c, k) => (pricedCharges[c.i] = pricedCharge(c.s, c.base, c.amount, taxes[lines.length + k]!)));

  // After-tax service charges on everything so far.
  const lineTaxes = taxes.slice(0, lines.length);
  const soFar =
    total(nets) +
    total(lineTaxes.map((t) => sumTaxes(t).exclusive)) +
    total(pricedCharges.filter(Boolean).map((c) => c.total));
  charges.forEach((s, i) => {
    if (s.stage !== 'after_tax') return;
    const { base, amount } = chargeAmount(s, { n: soFar, d: 1n }, mode);
    const [t] = computeTaxes([{ net: amount, taxes: chargeRates(s) }], 'line', mode);
    pricedCharges[i] = pricedCharge(s, base, amount, t!);
  });

  const pricedCanonical: PricedLine[] = grossed.map((g, i) => {
    const { inclusive, exclusive } = sumTaxes(lineTaxes[i]!);
    const shares = order.shares[i]!;
    const net = nets[i]!;
    return {
      key: g.line.key,
      quantity: g.line.quantity,
      unitPrice: g.line.unitPrice,
      modifierUnitAmount: g.modifierUnitAmount,
      effectiveUnitPrice: g.effectiveUnitPrice,
      gross: g.gross,
      lineDiscounts: g.applied,
      lineDiscountTotal: g.gross - g.remaining,
      orderDiscounts: shares.map((amount, index) => ({ index, amount })),
      orderDiscountShare: total(shares),
      net,
      taxes: lineTaxes[i]!,
      inclusiveTax: inclusive,
      exclusiveTax: exclusive,
      taxTotal: inclusive + exclusive,
      taxBase: net - inclusive,
      total: net + exclusive,
    };
  });
  const pricedLines: PricedLine[] = [];
  canonical.forEach((inputIndex, i) => (pricedLines[inputIndex] = pricedCanonical[i]!));

  return summarize(input, pricedLines, order.applied, pricedCharges);
}

/** Breakdown per rate: Σ over lines and charges. */
function breakdown(items: { taxes: AppliedTax[]; taxable: bigint }[]): TaxBreakdown[] {
  const byId = new Map<string, TaxBreakdown>();
  for (const it of items) {
    for (const t of it.taxes) {
      const b = byId.get(t.id) ?? { ...t, taxableAmount: 0n, amount: 0n };
      b.taxableAmount += it.taxable;
      b.amount += t.amount;
      byId.set(t.id, b);
    }
  }
  return [...byId.values()].sort(compareRates);
}

function summarize(
  input: PricingInput,
  lines: PricedLine[],
  orderDiscounts: AppliedDiscount[],
  charges: PricedServiceCharge[],
): PricedOrder {
  const subtotal = total(lines.map((l) => l.gross));
  const lineDiscountTotal = total(lines.map((l) => l.lineDiscountTotal));
  const orderDiscountTotal = total(orderDiscounts.map((d) => d.amount));
  const netTotal = total(lines.map((l) => l.net));
  const inclusiveTaxTotal = total([...lines, ...charges].map((x) => x.inclusiveTax));
  const exclusiveTaxTotal = total([...lines, ...charges].map((x) => x.exclusiveTax));
  const serviceChargeTotal = total(charges.map((c) => c.amount));
  const tip = input.tip ?? 0n;
  const totalBeforeRounding = netTotal + exclusiveTaxTotal + serviceChargeTotal + tip;
  const rounding = input.cashRounding
    ? {
        unit: input.cashRounding.unit,
        mode: input.cashRounding.mode ?? 'half_up',
        amount: cashRounding(totalBeforeRounding, input.cashRounding.unit, input.cashRounding.mode ?? 'half_up'),
      }
    : null;
  const roundingAdjustment = rounding?.amount ?? 0n;
  return {
    currency: input.currency,
    taxRounding: { ...input.taxRounding },
    lines,
    subtotal,
    lineDiscountTotal,
    orderDiscounts,
    orderDiscountTotal,
    discountTotal: lineDiscountTotal + orderDiscountTotal,
    netTotal,
    serviceCharges: charges,
    serviceChargeTotal,
    serviceChargeTaxTotal: total(charges.map((c) => c.taxTotal)),
    taxes: breakdown([
      ...lines.map((l) => ({ taxes: l.taxes, taxable: l.taxBase })),
      ...charges.map((c) => ({ taxes: c.taxes, taxable: c.amount - c.inclusiveTax })),
    ]),
    taxTotal: inclusiveTaxTotal + exclusiveTaxTotal,
    inclusiveTaxTotal,
    exclusiveTaxTotal,
    tip,
    totalBeforeRounding,
    rounding,
    roundingAdjustment,
    total: totalBeforeRounding + roundingAdjustment,
  };
}
