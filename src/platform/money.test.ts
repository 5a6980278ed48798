import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate } from './money.js';

describe('allocate', () => {
  it('splits 100 into thirds as 34, 33, 33', () => {
    expect(allocate(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]);
  });

  it('gives a zero-weight part nothing', () => {
    expect(allocate(10n, [0n, 1n, 1n])).toEqual([0n, 5n, 5n]);
  });

  it('splits negative totals symmetrically', () => {
    expect(allocate(-100n, [1n, 1n, 1n])).toEqual([-34n, -33n, -33n]);
  });

  it('refuses an all-zero split', () => {
    expect(() => allocate(5n, [0n, 0n])).toThrow(RangeError);
  });

  it('always sums to the total and never strays more than one unit from the exact share', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1, maxLength: 30 }).filter((w) => w.some((x) => x > 0n)),
        (total, weights) => {
          const parts = allocate(total, weights);
          const sum = weights.reduce((a, b) => a + b, 0n);
          expect(parts.reduce((a, b) => a + b, 0n)).toBe(total);
          parts.forEach((p, i) => {
            const exactTimesSum = total * weights[i]!;
            const diff = p * sum - exactTimesSum;
            expect(diff < 0n ? -diff : diff).toBeLessThan(sum);
          });
        },
      ),
      { numRuns: 2000 },
    );
  });
});
