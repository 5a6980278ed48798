import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, pointsEarned, pointsFor, proportionalStep, tierFor } from './loyalty-rules.js';

const on = { ...DEFAULT_SETTINGS, loyaltyEnabled: true };

describe('loyalty rules', () => {
  it('earns a point per 10,000 spent, plus visits and item rules, times the tier multiplier', () => {
    expect(pointsEarned(on, 95_000n, [], undefined)).toBe(9n);
    const s = { ...on, pointsPerVisit: 2, itemRules: [{ categoryId: 'c-pastry', points: 3 }, { productId: 'p-croissant', points: 5 }] };
    const lines = [{ productId: 'p-croissant', categoryId: 'c-pastry', quantity: 2 }, { productId: 'p-muffin', categoryId: 'c-pastry', quantity: 1.5 }];
    expect(pointsEarned(s, 50_000n, lines, undefined)).toBe(5n + 2n + 10n + 3n);
    const gold = { name: 'gold', threshold: 1_000_000n, multiplierPercent: 150 };
    expect(pointsEarned(s, 50_000n, lines, gold)).toBe(30n);
  });
  it('earns nothing when the programme is off', () => {
    expect(pointsEarned(DEFAULT_SETTINGS, 1_000_000n, [], undefined)).toBe(0n);
  });
  it('picks the highest tier reached', () => {
    const tiers = [{ name: 'silver', threshold: 100n, multiplierPercent: 110 }, { name: 'gold', threshold: 1000n, multiplierPercent: 150 }];
    expect(tierFor(tiers, 99n)).toBeUndefined();
    expect(tierFor(tiers, 100n)?.name).toBe('silver');
    expect(tierFor(tiers, 5000n)?.name).toBe('gold');
  });
  it('needs whole points to pay an amount, rounded up', () => {
    expect(pointsFor(1000n, 100n)).toBe(10n);
    expect(pointsFor(1001n, 100n)).toBe(11n);
  });
  it('splits a whole over partial refunds so that they add up to it exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10_000n }), fc.array(fc.bigInt({ min: 1n, max: 5_000n }), { minLength: 1, maxLength: 8 }), (whole, parts) => {
        const of = parts.reduce((a, b) => a + b, 0n);
        let before = 0n;
        let sum = 0n;
        for (const p of parts) {
          const step = proportionalStep(whole, of, before, p);
          expect(step >= 0n).toBe(true);
          sum += step;
          before += p;
        }
        expect(sum).toBe(whole);
      }),
    );
  });
});
