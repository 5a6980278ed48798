import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cashRounding, divRound } from './rounding.js';

const abs = (x: bigint): bigint => (x < 0n ? -x : x);
const big = fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n });
const nonZero = fc.oneof(fc.bigInt({ min: 1n, max: 10n ** 6n }), fc.bigInt({ min: -(10n ** 6n), max: -1n }), fc.constantFrom(2n, -2n, 10n, 10_000n));

describe('divRound', () => {
  it('rounds halves away from zero in half_up and to even in half_even', () => {
    expect([5n, 15n, 25n, -5n, -15n, -25n].map((n) => divRound(n, 10n, 'half_up'))).toEqual([1n, 2n, 3n, -1n, -2n, -3n]);
    expect([5n, 15n, 25n, 35n, -5n, -15n, -25n].map((n) => divRound(n, 10n, 'half_even'))).toEqual([0n, 2n, 2n, 4n, 0n, -2n, -2n]);
  });

  it('rounds non-halves to the nearest in both modes, for a negative denominator too', () => {
    expect(divRound(14n, 10n, 'half_up')).toBe(1n);
    expect(divRound(16n, 10n, 'half_even')).toBe(2n);
    expect(divRound(-16n, 10n, 'half_up')).toBe(-2n);
    expect(divRound(16n, -10n, 'half_up')).toBe(-2n);
    expect(divRound(-25n, -10n, 'half_even')).toBe(2n);
  });

  it('refuses a zero denominator', () => {
    expect(() => divRound(1n, 0n, 'half_up')).toThrow(RangeError);
  });

  it('is the nearest integer, breaks ties by its mode, and is symmetric in sign', () => {
    fc.assert(
      fc.property(big, nonZero, fc.constantFrom('half_up' as const, 'half_even' as const), (n, d, mode) => {
        const q = divRound(n, d, mode);
        const twiceErr = abs(2n * (q * d - n)); // 2 |q − n/d| × |d|
        expect(twiceErr <= abs(d)).toBe(true);
        if (twiceErr === abs(d)) {
          // An exact tie: half_up takes the one farther from zero, half_even the even one.
          if (mode === 'half_up') expect(abs(q) * abs(d) > abs(n)).toBe(true);
          else expect(q % 2n).toBe(0n);
        }
        expect(divRound(-n, d, mode)).toBe(-q);
        expect(divRound(n, -d, mode)).toBe(-q);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('cashRounding', () => {
  it('rounds 0.07 CHF to 0.05 and 0.08 CHF to 0.10', () => {
    expect(cashRounding(107n, 5n, 'half_up')).toBe(-2n);
    expect(cashRounding(108n, 5n, 'half_up')).toBe(2n);
  });

  it('rounds Rp 16.227,50 to Rp 16.200 down and to Rp 16.300 up (unit Rp 100 = 10 000 sen)', () => {
    expect(cashRounding(1_622_750n, 10_000n, 'down')).toBe(-2_750n);
    expect(cashRounding(1_622_750n, 10_000n, 'up')).toBe(7_250n);
    expect(cashRounding(1_625_000n, 10_000n, 'half_up')).toBe(5_000n);
    expect(cashRounding(1_625_000n, 10_000n, 'half_even')).toBe(-5_000n);
  });

  it('leaves totals alone when the unit is 0 or 1, and refuses a negative unit', () => {
    expect(cashRounding(12_345n, 0n, 'half_up')).toBe(0n);
    expect(cashRounding(12_345n, 1n, 'up')).toBe(0n);
    expect(() => cashRounding(1n, -5n, 'half_up')).toThrow(RangeError);
  });

  it('reaches a multiple of the unit, by at most half a unit when nearest, never up when down', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.oneof(fc.constantFrom(5n, 10n, 100n, 10_000n), fc.bigInt({ min: 2n, max: 10n ** 6n })),
        fc.constantFrom('half_up' as const, 'half_even' as const, 'down' as const, 'up' as const),
        (total, unit, mode) => {
          const adj = cashRounding(total, unit, mode);
          expect((total + adj) % unit).toBe(0n);
          expect(abs(adj) < unit).toBe(true);
          if (mode === 'down') expect(adj <= 0n).toBe(true);
          if (mode === 'up') expect(adj >= 0n).toBe(true);
          if (mode === 'half_up' || mode === 'half_even') expect(2n * abs(adj) <= unit).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
