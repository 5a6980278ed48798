/**
 * Line and order discounts. A discount never takes an amount below zero: a fixed discount larger than what
 * is left is capped (and reported as capped); percentages are at most 100 % of what is left.
 */
import { allocate } from './allocation.js';
import type { AppliedDiscount, DiscountInput, RoundingMode } from './pricing.types.js';
import { divRound } from './rounding.js';

/** One discount against `remaining` (>= 0): the requested amount and the capped amount actually taken. */
function applyOne(d: DiscountInput, index: number, remaining: bigint, mode: RoundingMode): AppliedDiscount {
  const requested = d.kind === 'percentage' ? divRound(remaining * BigInt(d.rateBp), 10_000n, mode) : d.amount;
  const amount = requested > remaining ? remaining : requested;
  return {
    index,
    ...(d.id !== undefined && { id: d.id }),
    ...(d.name !== undefined && { name: d.name }),
    kind: d.kind,
    ...(d.kind === 'percentage' && { rateBp: d.rateBp }),
    requested,
    amount,
    capped: amount < requested,
  };
}

/**
 * Applies discounts in the order given, each to what is left after the earlier ones (two 10 % discounts
 * take 19 %). Returns the applied discounts and what is left (>= 0).
 */
export function applyDiscounts(
  amount: bigint,
  discounts: readonly DiscountInput[],
  mode: RoundingMode,
): { applied: AppliedDiscount[]; remaining: bigint } {
  let remaining = amount;
  const applied = discounts.map((d, i) => {
    const a = applyOne(d, i, remaining, mode);
    remaining -= a.amount;
    return a;
  });
  return { applied, remaining };
}

/**
 * Order discounts: each, in the order given, is computed on the sum of what is left of the lines and then
 * allocated to the lines by largest remainder in proportion to what is left of each (so no line goes below
 * zero: a share never exceeds its weight when the total does not exceed the sum of weights). `lineAmounts`
 * must be in the engine's canonical line order (ascending key), which makes the tie-break the key.
 */
export function allocateOrderDiscounts(
  lineAmounts: readonly bigint[],
  discounts: readonly DiscountInput[],
  mode: RoundingMode,
): { applied: AppliedDiscount[]; shares: bigint[][]; remaining: bigint[] } {
  const remaining = [...lineAmounts];
  const shares: bigint[][] = lineAmounts.map(() => []);
  const applied = discounts.map((d, i) => {
    const left = remaining.reduce((a, b) => a + b, 0n);
    const a = applyOne(d, i, left, mode);
    const parts = a.amount === 0n ? remaining.map(() => 0n) : allocate(a.amount, remaining);
    parts.forEach((p, l) => {
      shares[l]!.push(p);
      remaining[l]! -= p;
    });
    return a;
  });
  return { applied, shares, remaining };
}
