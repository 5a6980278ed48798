import { describe, expect, it } from 'vitest';
import { cashRounding, divRound } from './rounding.js';

describe('divRound', () => {
  it('rounds halves away from zero in half_up and to even in half_even', () => {
    expect([5n, 15n, 25n, -5n, -15n, -25n].map((n) => divRound(n, 10n, 'half_up'))).toEqual([1n, 2n, 3n, -1n, -2n, -3n]);
    expect([5n, 15n, 25n, -5n, -15n, -25n].map((n) => divRound(n, 10n, 'half_even'))).toEqual([0n, 2n, 2n, -0n, -2n, -2n]);
  });
});

describe('cashRounding', () => {
  it('rounds 0.07 CHF to 0.05 and 0.08 CHF to 0.10', () => {
    expect(cashRounding(107n, 5n, 'half_up')).toBe(-2n);
    expect(cashRounding(108n, 5n, 'half_up')).toBe(2n);
  });
});
