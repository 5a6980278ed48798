/**
 * Allocation with per-part caps, on top of platform/money.ts allocate (largest remainder).
 */
import { allocate } from '../../../platform/money.js';

const sum = (xs: readonly bigint[]): bigint => xs.reduce((a, b) => a + b, 0n);

/**
 * Like allocate, for a non-negative total and non-negative weights, but no part exceeds its cap and a part
 * with weight 0 gets nothing. What a cap clips off is re-allocated (largest remainder, by weight) to the parts
 * that still have room; if the capped parts cannot hold the total, the parts sum to less than it (the caller
 * reads the sum). An all-zero weight list gets all zeros.
 */
export function allocateCapped(total: bigint, weights: readonly bigint[], caps: readonly bigint[]): bigint[] {
  const parts = weights.map(() => 0n);
  let left = total;
  while (left > 0n) {
    const open = weights.map((w, i) => (w > 0n && parts[i]! < caps[i]! ? w : 0n));
    if (sum(open) === 0n) break;
    const shares = allocate(left, open);
    let clipped = 0n;
    shares.forEach((s, i) => {
      const room = caps[i]! - parts[i]!;
      const take = s > room ? room : s;
      parts[i]! += take;
      clipped += s - take;
    });
    left = clipped;
  }
  return parts;
}

export { allocate };
