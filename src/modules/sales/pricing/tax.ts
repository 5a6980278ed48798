/**
 * Taxes of taxable items (lines and service charges), at line or order level.
 *
 * For one item with net amount N (the price as charged, inclusive taxes inside it), each rate has an exact
 * coefficient on the tax-exclusive base B: a non-compound rate r has r; compound rates, in (sequence, id)
 * order, have r × (1 + Σ non-compound rates + Σ earlier compound coefficients), i.e. each compound tax is
 * computed on the base plus every tax before it. With S = Σ coefficients of the inclusive rates,
 * B = N / (1 + S) exactly, and tax_i = coefficient_i × B exactly; rounding happens once per figure after that.
 */
import { allocate, allocateCapped } from './allocation.js';
import { ONE, ZERO, add, bp, commonDenominator, type Fraction, frac, mul } from './fraction.js';
import type { AppliedTax, RoundingMode, TaxRate, TaxRoundingLevel } from './pricing.types.js';
import { divRound } from './rounding.js';

export interface TaxableItem {
  /** >= 0, minor units, includes the item's inclusive taxes. */
  net: bigint;
  taxes: readonly TaxRate[];
}

/** Canonical order of rates: non-compound before compound, then sequence, then id. */
export function compareRates(a: TaxRate, b: TaxRate): number {
  if (a.compound !== b.compound) return a.compound ? 1 : -1;
  if (a.sequence !== b.sequence) return a.sequence - b.sequence;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

interface ItemPlan {
  rates: TaxRate[];
  /** Exact tax of each rate on this item, minor units. */
  exact: Fraction[];
  /** Exact inclusive tax of the item: N × S / (1 + S). */
  inclusiveExact: Fraction;
}

function planItem(item: TaxableItem): ItemPlan {
  const rates = [...item.taxes].sort(compareRates);
  let multiplier = ONE;
  for (const r of rates) if (!r.compound) multiplier = add(multiplier, bp(r.rateBp));
  const coefficients = rates.map((r) => {
    if (!r.compound) return bp(r.rateBp);
    const c = mul(bp(r.rateBp), multiplier);
    multiplier = add(multiplier, c);
    return c;
  });
  const s = rates.reduce((acc, r, i) => (r.inclusive ? add(acc, coefficients[i]!) : acc), ZERO);
  const base = frac(item.net * s.d, s.d + s.n); // N / (1 + S)
  return {
    rates,
    exact: coefficients.map((c) => mul(c, base)),
    inclusiveExact: mul(s, base),
  };
}

const applied = (r: TaxRate, amount: bigint): AppliedTax => ({
  id: r.id,
  name: r.name,
  rateBp: r.rateBp,
  inclusive: r.inclusive,
  compound: r.compound,
  sequence: r.sequence,
  amount,
});

/** The exact tax-exclusive amount of an item, N / (1 + S). */
export function exactTaxBase(item: TaxableItem): Fraction {
  const plan = planItem(item);
  return frac(item.net * plan.inclusiveExact.d - plan.inclusiveExact.n, plan.inclusiveExact.d);
}

/**
 * Splits an inclusive total over inclusive rates by largest remainder on their exact amounts (ties to the
 * earlier rate in canonical order). The inclusive total is rounded once so it can never exceed the net.
 */
function splitInclusive(total: bigint, exact: readonly Fraction[]): bigint[] {
  const { weights } = commonDenominator(exact);
  if (total === 0n || weights.every((w) => w === 0n)) return weights.map(() => 0n);
  return allocate(total, weights);
}

/** Line level: every item's taxes rounded on the item itself. */
function taxItem(item: TaxableItem, mode: RoundingMode): AppliedTax[] {
  const plan = planItem(item);
  const inclusiveIdx = plan.rates.flatMap((r, i) => (r.inclusive ? [i] : []));
  const inclusiveTotal = divRound(plan.inclusiveExact.n, plan.inclusiveExact.d, mode);
  const inclusiveParts = splitInclusive(inclusiveTotal, inclusiveIdx.map((i) => plan.exact[i]!));
  return plan.rates.map((r, i) =>
    applied(r, r.inclusive ? inclusiveParts[inclusiveIdx.indexOf(i)]! : divRound(plan.exact[i]!.n, plan.exact[i]!.d, mode)),
  );
}

/**
 * Order level: per rate, the exact taxes of every item are summed and rounded once; exclusive rates are
 * allocated back to items in proportion to their exact taxes. Inclusive rates: their total is rounded once
 * over the order and split over the rates, then each rate is allocated back with a cap so no item's
 * inclusive taxes exceed its net (only reachable with tiny amounts and rates far above 100 %; then the
 * rate's order figure is what the items could hold).
 */
function taxOrder(items: readonly TaxableItem[], mode: RoundingMode): AppliedTax[][] {
  const plans = items.map(planItem);
  const rateById = new Map<string, TaxRate>();
  for (const p of plans) for (const r of p.rates) rateById.set(r.id, r);
  const rates = [...rateById.values()].sort(compareRates);
  const exactOf = (p: ItemPlan, id: string): Fraction => {
    const i = p.rates.findIndex((r) => r.id === id);
    return i < 0 ? ZERO : p.exact[i]!;
  };
  const amounts = new Map<string, bigint[]>();

  for (const r of rates.filter((x) => !x.inclusive)) {
    const { weights, denominator } = commonDenominator(plans.map((p) => exactOf(p, r.id)));
    const sum = weights.reduce((a, b) => a + b, 0n);
    amounts.set(r.id, sum === 0n ? weights.map(() => 0n) : allocate(divRound(sum, denominator, mode), weights));
  }

  const inclusive = rates.filter((x) => x.inclusive);
  const perRateExact = inclusive.map((r) => plans.reduce((acc, p) => add(acc, exactOf(p, r.id)), ZERO));
  const all = commonDenominator(perRateExact);
  const inclusiveTotal = divRound(all.weights.reduce((a, b) => a + b, 0n), all.denominator, mode);
  const rateTotals = splitInclusive(inclusiveTotal, perRateExact);
  const room = items.map((it) => it.net);
  inclusive.forEach((r, k) => {
    const { weights } = commonDenominator(plans.map((p) => exactOf(p, r.id)));
    const parts = allocateCapped(rateTotals[k]!, weights, room);
    parts.forEach((x, i) => (room[i]! -= x));
    amounts.set(r.id, parts);
  });

  return plans.map((p, i) => p.rates.map((r) => applied(r, amounts.get(r.id)![i]!)));
}

/** Taxes of each item, in canonical rate order; items keep their order (it is the allocation tie-break). */
export function computeTaxes(items: readonly TaxableItem[], level: TaxRoundingLevel, mode: RoundingMode): AppliedTax[][] {
  return level === 'line' ? items.map((it) => taxItem(it, mode)) : taxOrder(items, mode);
}

export function sumTaxes(taxes: readonly AppliedTax[]): { inclusive: bigint; exclusive: bigint } {
  let inclusive = 0n;
  let exclusive = 0n;
  for (const t of taxes) {
    if (t.inclusive) inclusive += t.amount;
    else exclusive += t.amount;
  }
  return { inclusive, exclusive };
}
