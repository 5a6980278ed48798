/**
 * fast-check arbitraries for the pricing property tests. Built from records, integer ranges and bit masks
 * (no chains, few filters) so failures shrink to small orders.
 */
import fc from 'fast-check';
import type { DiscountInput, PricingInput, ServiceChargeInput, TaxRate } from './pricing.types.js';

/** Realistic rates are common, any legal rate is possible. */
const rateBp = fc.oneof(fc.constantFrom(0, 500, 1000, 1100, 1200), fc.integer({ min: 0, max: 100_000 }));

export const taxRateArb = (id: string): fc.Arbitrary<TaxRate> =>
  fc.record({
    id: fc.constant(id),
    name: fc.constant(`tax ${id}`),
    rateBp,
    inclusive: fc.boolean(),
    compound: fc.boolean(),
    sequence: fc.integer({ min: 0, max: 3 }),
  });

/** Four rules per order; each line and charge picks a subset by a 4-bit mask, so one id is always one rule. */
const ratePool = fc.tuple(taxRateArb('t0'), taxRateArb('t1'), taxRateArb('t2'), taxRateArb('t3'));
const pick = (pool: readonly TaxRate[], mask: number): TaxRate[] => pool.filter((_, i) => (mask >> i) & 1);

const amount = fc.oneof(fc.bigInt({ min: 0n, max: 10_000n }), fc.bigInt({ min: 0n, max: 10n ** 10n }));

export const discountArb: fc.Arbitrary<DiscountInput> = fc.oneof(
  fc.record({ kind: fc.constant('percentage' as const), rateBp: fc.oneof(fc.constantFrom(0, 1000, 5000, 10_000), fc.integer({ min: 0, max: 10_000 })) }),
  fc.record({ kind: fc.constant('fixed' as const), amount }),
);

const lineShape = fc.record({
  unitPrice: amount,
  units: fc.bigInt({ min: 1n, max: 100_000n }),
  scale: fc.integer({ min: 0, max: 3 }),
  modifiers: fc.array(fc.record({ priceDelta: fc.bigInt({ min: 0n, max: 1_000_000n }), quantity: fc.integer({ min: 0, max: 3 }) }), { maxLength: 2 }),
  discounts: fc.array(discountArb, { maxLength: 2 }),
  taxMask: fc.integer({ min: 0, max: 15 }),
});

const chargeShape = fc.record({
  kind: fc.constantFrom('percentage' as const, 'fixed' as const),
  rateBp: fc.integer({ min: 0, max: 2_000 }),
  amount: fc.bigInt({ min: 0n, max: 10_000_000n }),
  stage: fc.constantFrom('before_tax' as const, 'after_tax' as const),
  taxable: fc.boolean(),
  taxMask: fc.integer({ min: 0, max: 15 }),
});

export interface OrderArbOptions {
  maxLines?: number;
  serviceCharges?: boolean;
  tip?: boolean;
  cash?: boolean;
}

export const orderArb = (o: OrderArbOptions = {}): fc.Arbitrary<PricingInput> =>
  fc
    .record({
      pool: ratePool,
      keys: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: o.maxLines ?? 6 }),
      shapes: fc.array(lineShape, { minLength: 6, maxLength: 6 }),
      orderDiscounts: fc.array(discountArb, { maxLength: 2 }),
      charges: fc.array(chargeShape, { maxLength: o.serviceCharges === false ? 0 : 2 }),
      tip: fc.bigInt({ min: 0n, max: o.tip === false ? 0n : 1_000_000n }),
      cash: o.cash === false ? fc.constant(undefined) : fc.option(fc.record({ unit: fc.constantFrom(0n, 1n, 5n, 100n, 10_000n), mode: fc.constantFrom('half_up' as const, 'half_even' as const, 'down' as const, 'up' as const) }), { nil: undefined }),
      mode: fc.constantFrom('half_up' as const, 'half_even' as const),
      level: fc.constantFrom('line' as const, 'order' as const),
    })
    .map(({ pool, keys, shapes, orderDiscounts, charges, tip, cash, mode, level }) => ({
      currency: 'IDR',
      taxRounding: { mode, level },
      lines: keys.map((key, i) => {
        const s = shapes[i]!;
        return {
          key,
          unitPrice: s.unitPrice,
          quantity: { units: s.units, scale: s.scale },
          modifiers: s.modifiers,
          discounts: s.discounts,
          taxes: pick(pool, s.taxMask),
        };
      }),
      orderDiscounts,
      serviceCharges: charges.map(
        (c, i): ServiceChargeInput => ({
          id: `sc${i}`,
          name: `charge ${i}`,
          kind: c.kind,
          ...(c.kind === 'percentage' ? { rateBp: c.rateBp } : { amount: c.amount }),
          stage: c.stage,
          taxable: c.taxable,
          taxes: pick(pool, c.taxMask),
        }),
      ),
      tip,
      ...(cash && { cashRounding: cash }),
    }));

/** A deterministic shuffle from a seed list (fast-check shrinks the seeds, not the result). */
export function permute<T>(xs: readonly T[], seeds: readonly number[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = (seeds[i % seeds.length] ?? 0) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
