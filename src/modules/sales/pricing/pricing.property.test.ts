import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderArb, permute } from './pricing.arbitraries.js';
import { exactBase, exactTaxes, sumExact, withinHalf } from './pricing.oracle.js';
import { priceOrder } from './price-order.js';
import type { PricedOrder, PricingInput } from './pricing.types.js';

const RUNS = { numRuns: 3000 };
const sum = (xs: readonly bigint[]): bigint => xs.reduce((a, b) => a + b, 0n);

/** Every number in an output is a count or a rate, never an amount. */
const NUMBER_FIELDS = new Set(['index', 'rateBp', 'sequence', 'scale']);
/** Every bigint is >= 0 except the paths named (the cash rounding adjustment). */
function badLeaves(x: unknown, path: string, negativeAllowed: Set<string>, out: string[] = []): string[] {
  const leaf = path.slice(path.lastIndexOf('.') + 1);
  if (typeof x === 'bigint') {
    if (x < 0n && !negativeAllowed.has(path)) out.push(`${path} is negative`);
  } else if (typeof x === 'number') {
    if (!NUMBER_FIELDS.has(leaf) || !Number.isInteger(x)) out.push(`${path} is a number`);
  } else if (Array.isArray(x)) x.forEach((v, i) => badLeaves(v, `${path}.${i}`, negativeAllowed, out));
  else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) badLeaves(v, `${path}.${k}`, negativeAllowed, out);
  return out;
}

function checkIdentities(input: PricingInput, p: PricedOrder): void {
  // The invariant: lines + exclusive tax + service charges (+ their exclusive tax) + tip + rounding = total.
  const lineSide = sum(p.lines.map((l) => l.net + l.exclusiveTax));
  const chargeSide = sum(p.serviceCharges.map((c) => c.amount + c.exclusiveTax));
  expect(lineSide + chargeSide + p.tip + p.roundingAdjustment).toBe(p.total);
  expect(p.subtotal - p.discountTotal + p.exclusiveTaxTotal + p.serviceChargeTotal + p.tip + p.roundingAdjustment).toBe(p.total);
  expect(sum(p.lines.map((l) => l.gross))).toBe(p.subtotal);
  expect(sum(p.lines.map((l) => l.net))).toBe(p.netTotal);
  expect(p.subtotal - p.discountTotal).toBe(p.netTotal);
  expect(p.taxTotal).toBe(sum([...p.lines, ...p.serviceCharges].map((x) => x.taxTotal)));
  expect(sum(p.taxes.map((t) => t.amount))).toBe(p.taxTotal);
  for (const t of p.taxes) {
    const all = [...p.lines, ...p.serviceCharges].flatMap((x) => x.taxes.filter((y) => y.id === t.id));
    expect(sum(all.map((y) => y.amount))).toBe(t.amount);
  }
  for (const l of p.lines) {
    expect(l.gross - l.lineDiscountTotal - l.orderDiscountShare).toBe(l.net);
    expect(l.net + l.exclusiveTax).toBe(l.total);
    expect(l.net - l.inclusiveTax).toBe(l.taxBase);
    expect(sum(l.lineDiscounts.map((d) => d.amount))).toBe(l.lineDiscountTotal);
    expect(sum(l.orderDiscounts.map((d) => d.amount))).toBe(l.orderDiscountShare);
    if (l.taxes.every((t) => t.inclusive)) expect(l.total).toBe(l.gross - l.lineDiscountTotal - l.orderDiscountShare);
  }
  for (const d of [...p.orderDiscounts, ...p.lines.flatMap((l) => l.lineDiscounts)]) {
    expect(d.amount <= d.requested).toBe(true);
    expect(d.capped).toBe(d.amount < d.requested);
  }
  // Each order discount's shares sum exactly to it.
  p.orderDiscounts.forEach((d, k) => expect(sum(p.lines.map((l) => l.orderDiscounts[k]!.amount))).toBe(d.amount));
  if (p.rounding && p.rounding.unit > 0n) expect(p.total % p.rounding.unit).toBe(0n);
  expect(p.lines.map((l) => l.key)).toEqual(input.lines.map((l) => l.key));
  expect(badLeaves(p, 'order', new Set(['order.roundingAdjustment', 'order.rounding.amount']))).toEqual([]);
}

describe('priceOrder invariants', () => {
  it('adds up exactly, never goes negative, and uses no floats', () => {
    fc.assert(fc.property(orderArb(), (input) => checkIdentities(input, priceOrder(input))), RUNS);
  });

  it('does not depend on the order of the lines', () => {
    fc.assert(
      fc.property(orderArb(), fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), (input, seeds) => {
        const a = priceOrder(input);
        const b = priceOrder({ ...input, lines: permute(input.lines, seeds) });
        const byKey = (p: PricedOrder) => Object.fromEntries(p.lines.map((l) => [l.key, l]));
        expect(byKey(b)).toEqual(byKey(a));
        expect({ ...b, lines: [] }).toEqual({ ...a, lines: [] });
      }),
      RUNS,
    );
  });

  it('rounds each tax once, correctly, at line level and at order level', () => {
    fc.assert(
      fc.property(orderArb(), (input) => {
        const p = priceOrder(input);
        const rates = new Map(input.lines.flatMap((l) => l.taxes ?? []).map((r) => [r.id, r]));
        const before = p.serviceCharges.filter((c) => c.stage === 'before_tax');
        const items = [
          ...p.lines.map((l, i) => ({ net: l.net, rates: input.lines[i]!.taxes ?? [], taxes: l.taxes })),
          ...before.map((c) => ({ net: c.amount, rates: c.taxable ? (input.serviceCharges!.find((s) => s.id === c.id)!.taxes ?? []) : [], taxes: c.taxes })),
        ];
        for (const it of items) for (const r of it.rates) rates.set(r.id, r);
        if (input.taxRounding.level === 'line') {
          for (const it of items) {
            const exact = exactTaxes(it.net, it.rates);
            for (const t of it.taxes) if (!t.inclusive) expect(withinHalf(t.amount, exact.get(t.id)!)).toBe(true);
            const incl = it.taxes.filter((t) => t.inclusive);
            expect(withinHalf(sum(incl.map((t) => t.amount)), sumExact(incl.map((t) => exact.get(t.id)!)))).toBe(true);
          }
        } else {
          const exact = items.map((it) => exactTaxes(it.net, it.rates));
          const exactOf = (id: string) => sumExact(exact.map((m) => m.get(id) ?? { n: 0n, d: 1n }));
          const amountOf = (id: string) => sum(items.flatMap((it) => it.taxes.filter((t) => t.id === id).map((t) => t.amount)));
          const ids = [...rates.values()];
          for (const r of ids.filter((x) => !x.inclusive)) expect(withinHalf(amountOf(r.id), exactOf(r.id))).toBe(true);
          const incl = ids.filter((x) => x.inclusive);
          const got = sum(incl.map((r) => amountOf(r.id)));
          const want = sumExact(incl.map((r) => exactOf(r.id)));
          const saturated = items.some((it) => it.net > 0n && sum(it.taxes.filter((t) => t.inclusive).map((t) => t.amount)) === it.net);
          expect(withinHalf(got, want) || (saturated && got * want.d < want.n)).toBe(true);
        }
        // Before-tax charges: a percentage of the lines' exact tax-exclusive amounts.
        const base = sumExact(p.lines.map((l, i) => exactBase(l.net, input.lines[i]!.taxes ?? [])));
        for (const c of before) {
          if (c.kind === 'percentage') expect(withinHalf(c.amount, { n: base.n * BigInt(c.rateBp!), d: base.d * 10_000n })).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('gives a total of 0 and no tax when everything is discounted 100 %', () => {
    fc.assert(
      fc.property(orderArb({ serviceCharges: false, tip: false }), fc.boolean(), (input, viaOrder) => {
        const full = { kind: 'percentage' as const, rateBp: 10_000 };
        const p = priceOrder(
          viaOrder
            ? { ...input, orderDiscounts: [...(input.orderDiscounts ?? []), full] }
            : { ...input, lines: input.lines.map((l) => ({ ...l, discounts: [full] })) },
        );
        expect(p.total).toBe(0n);
        expect(p.taxTotal).toBe(0n);
        for (const l of p.lines) expect(l.taxes.every((t) => t.amount === 0n)).toBe(true);
      }),
      RUNS,
    );
  });
});
