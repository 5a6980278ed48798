import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateCapped } from './allocation.js';
import { priceOrder } from './price-order.js';
import type { PricingInput, TaxRate } from './pricing.types.js';
import { computeTaxes } from './tax.js';

const rate = (id: string, rateBp: number, more: Partial<TaxRate> = {}): TaxRate => ({
  id,
  name: id,
  rateBp,
  inclusive: false,
  compound: false,
  sequence: 0,
  ...more,
});
const amounts = (net: bigint, taxes: TaxRate[]) =>
  Object.fromEntries(computeTaxes([{ net, taxes }], 'line', 'half_up')[0]!.map((t) => [t.id, t.amount]));

describe('tax rules', () => {
  it('adds exclusive taxes to the net and extracts inclusive ones from it', () => {
    expect(amounts(10_000n, [rate('ppn', 1100)])).toEqual({ ppn: 1_100n });
    expect(amounts(11_100n, [rate('ppn', 1100, { inclusive: true })])).toEqual({ ppn: 1_100n });
  });

  it('computes a compound tax on the base plus the non-compound taxes, and later compounds on earlier ones', () => {
    // 10 000 base: A 10 % = 1 000; C1 5 % of 11 000 = 550; C2 1 % of 11 550 = 115.5 → 116.
    const taxes = [rate('c2', 100, { compound: true, sequence: 2 }), rate('a', 1000), rate('c1', 500, { compound: true, sequence: 1 })];
    expect(amounts(10_000n, taxes)).toEqual({ a: 1_000n, c1: 550n, c2: 116n });
  });

  it('extracts an inclusive compound tax and an inclusive base tax from one price so the base is exact', () => {
    // Base B, A 10 % inclusive, C 10 % compound inclusive: price = B × 1.1 × 1.1 = 1.21 B; 12 100 → B = 10 000.
    const taxes = [rate('a', 1000, { inclusive: true }), rate('c', 1000, { inclusive: true, compound: true })];
    expect(amounts(12_100n, taxes)).toEqual({ a: 1_000n, c: 1_100n });
  });

  it('computes an exclusive tax on the base left once inclusive taxes are taken out', () => {
    // PPN 11 % inside 11 100 → base 10 000; PB1 10 % added on the base = 1 000.
    expect(amounts(11_100n, [rate('ppn', 1100, { inclusive: true }), rate('pb1', 1000)])).toEqual({ ppn: 1_100n, pb1: 1_000n });
  });

  it('rounds the inclusive total once, so several inclusive rates never exceed the price', () => {
    // Three 300 % inclusive rates in a price of 2: each exact share is 2 × 3 / 10 = 0.6. Rounded apart they
    // would be 1 + 1 + 1 = 3, more than the price; rounded once, 1.8 → 2, split by largest remainder.
    const taxes = [rate('a', 30_000, { inclusive: true }), rate('b', 30_000, { inclusive: true }), rate('c', 30_000, { inclusive: true })];
    expect(amounts(2n, taxes)).toEqual({ a: 1n, b: 1n, c: 0n });
  });

  it('at order level rounds the order sum per rate and gives the rounding unit to the largest remainder', () => {
    const items = ['a', 'b', 'c'].map(() => ({ net: 450_450n, taxes: [rate('ppn', 1100)] }));
    const line = computeTaxes(items, 'line', 'half_up').map((t) => t[0]!.amount);
    const order = computeTaxes(items, 'order', 'half_even').map((t) => t[0]!.amount);
    expect(line).toEqual([49_550n, 49_550n, 49_550n]); // 148 650
    expect(order).toEqual([49_550n, 49_549n, 49_549n]); // 148 648.5 → 148 648 (half-even)
  });

  it('never lets order-level inclusive taxes exceed a line, however small the line and high the rates', () => {
    const input = fc.record({
      nets: fc.array(fc.bigInt({ min: 0n, max: 6n }), { minLength: 1, maxLength: 5 }),
      rates: fc.array(fc.integer({ min: 5_000, max: 100_000 }), { minLength: 1, maxLength: 4 }),
      masks: fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 5, maxLength: 5 }),
      compound: fc.boolean(),
      mode: fc.constantFrom('half_up' as const, 'half_even' as const),
    });
    fc.assert(
      fc.property(input, ({ nets, rates, masks, compound, mode }) => {
        const pool = rates.map((bp, i) => rate(`r${i}`, bp, { inclusive: true, compound: compound && i % 2 === 1, sequence: i }));
        const order: PricingInput = {
          currency: 'IDR',
          taxRounding: { mode, level: 'order' },
          lines: nets.map((n, i) => ({
            key: `l${i}`,
            unitPrice: n,
            quantity: { units: 1n, scale: 0 },
            taxes: pool.filter((_, k) => (masks[i]! >> k) & 1),
          })),
        };
        const p = priceOrder(order);
        for (const l of p.lines) {
          expect(l.taxBase >= 0n).toBe(true);
          expect(l.taxes.every((t) => t.amount >= 0n)).toBe(true);
          expect(l.total).toBe(l.net);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('allocateCapped', () => {
  it('moves what a cap clips to the parts that still have room', () => {
    expect(allocateCapped(10n, [1n, 1n, 1n], [2n, 10n, 10n])).toEqual([2n, 4n, 4n]);
  });

  it('gives nothing to a zero weight, even when others are full', () => {
    expect(allocateCapped(10n, [1n, 0n], [3n, 100n])).toEqual([3n, 0n]);
  });

  it('never exceeds a cap, sums to the total when the caps allow it, and to the caps otherwise', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 1000n }),
        fc.array(fc.record({ w: fc.bigInt({ min: 0n, max: 50n }), cap: fc.bigInt({ min: 0n, max: 300n }) }), { minLength: 1, maxLength: 8 }),
        (total, parts) => {
          const got = allocateCapped(total, parts.map((p) => p.w), parts.map((p) => p.cap));
          const room = parts.reduce((a, p) => a + (p.w > 0n ? p.cap : 0n), 0n);
          got.forEach((g, i) => {
            expect(g >= 0n && g <= parts[i]!.cap).toBe(true);
            if (parts[i]!.w === 0n) expect(g).toBe(0n);
          });
          expect(got.reduce((a, b) => a + b, 0n)).toBe(total < room ? total : room);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
