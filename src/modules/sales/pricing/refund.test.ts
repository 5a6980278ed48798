import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate } from '../../../platform/money.js';
import { orderArb } from './pricing.arbitraries.js';
import { priceOrder } from './price-order.js';
import { PricingInputError, type LineRefund, type PricedLine, type Quantity } from './pricing.types.js';
import { proportionalRefund } from './refund.js';

const PPN = { id: 'ppn', name: 'PPN 11%', rateBp: 1100, inclusive: false, compound: false, sequence: 0 };
const three = (): PricedLine =>
  priceOrder({
    currency: 'IDR',
    taxRounding: { mode: 'half_up', level: 'line' },
    lines: [{ key: 'a', unitPrice: 1_000n, quantity: { units: 3n, scale: 0 }, discounts: [{ kind: 'fixed', amount: 1_000n }], taxes: [PPN] }],
  }).lines[0]!;

/** Refunds `parts` one after another, each told what was refunded before it. */
function refundInParts(line: PricedLine, parts: readonly Quantity[]): LineRefund[] {
  let done: Quantity = { units: 0n, scale: line.quantity.scale };
  return parts.map((q) => {
    const r = proportionalRefund(line, q, done);
    const scale = Math.max(done.scale, q.scale);
    done = { units: done.units * 10n ** BigInt(scale - done.scale) + q.units * 10n ** BigInt(scale - q.scale), scale };
    return r;
  });
}

describe('proportionalRefund', () => {
  it('refunds a line of 3 one unit at a time so the thirds sum to the line', () => {
    const line = three(); // gross 3 000, discount 1 000, net 2 000, PPN 220
    const parts = refundInParts(line, [1n, 1n, 1n].map((units) => ({ units, scale: 0 })));
    expect(parts.map((p) => p.net)).toEqual([667n, 666n, 667n]);
    expect(parts.map((p) => p.taxes[0]!.amount)).toEqual([73n, 74n, 73n]);
    expect(parts.map((p) => p.total)).toEqual([740n, 740n, 740n]);
    expect(parts.map((p) => p.gross)).toEqual([1_000n, 1_000n, 1_000n]);
  });

  it('refuses to refund more than what is left of the line', () => {
    const line = three();
    expect(() => proportionalRefund(line, { units: 2n, scale: 0 }, { units: 2n, scale: 0 })).toThrow(PricingInputError);
    expect(() => proportionalRefund(line, { units: 0n, scale: 0 })).toThrow(PricingInputError);
  });

  it('sums exactly to the line, with no negative part, however the line is split', () => {
    fc.assert(
      fc.property(
        orderArb({ maxLines: 3 }),
        fc.nat(),
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        (input, pick, weights, finer) => {
          const p = priceOrder(input);
          const line = p.lines[pick % p.lines.length]!;
          const w = weights.some((x) => x > 0) ? weights.map(BigInt) : [1n];
          const sizes = allocate(line.quantity.units, w).filter((u) => u > 0n);
          // Some parts are written at a finer scale (2 units at scale 0 = 20 at scale 1).
          const parts = sizes.map((units, i) => (finer[i] ? { units: units * 10n, scale: line.quantity.scale + 1 } : { units, scale: line.quantity.scale }));
          const refunds = refundInParts(line, parts);
          const total = (f: (r: LineRefund) => bigint) => refunds.reduce((a, r) => a + f(r), 0n);
          expect(total((r) => r.net)).toBe(line.net);
          expect(total((r) => r.gross)).toBe(line.gross);
          expect(total((r) => r.lineDiscount)).toBe(line.lineDiscountTotal);
          expect(total((r) => r.orderDiscount)).toBe(line.orderDiscountShare);
          expect(total((r) => r.inclusiveTax)).toBe(line.inclusiveTax);
          expect(total((r) => r.exclusiveTax)).toBe(line.exclusiveTax);
          expect(total((r) => r.total)).toBe(line.total);
          line.taxes.forEach((t, k) => expect(total((r) => r.taxes[k]!.amount)).toBe(t.amount));
          for (const r of refunds) {
            for (const v of [r.net, r.gross, r.lineDiscount, r.orderDiscount, r.total, ...r.taxes.map((t) => t.amount)]) expect(v >= 0n).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
