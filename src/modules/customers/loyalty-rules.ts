/**
 * The loyalty programme's rules, pure: what a sale earns, which tier a customer is in, how many points pay an
 * amount, and the proportional share of a refund. Points are bigint; money is bigint minor units.
 */

export interface ItemRule {
  productId?: string | undefined;
  categoryId?: string | undefined;
  /** Points per unit sold. */
  points: number;
}

export interface Tier {
  name: string;
  /** Lifetime spend (minor units) from which the tier applies. */
  threshold: bigint;
  /** Earned points are multiplied by this percentage (100 = as earned, 150 = half as much again). */
  multiplierPercent: number;
}

export interface LoyaltySettings {
  phoneCountry: string;
  loyaltyEnabled: boolean;
  earnPerAmount: bigint;
  earnPoints: number;
  pointsPerVisit: number;
  itemRules: ItemRule[];
  tiers: Tier[];
  pointValue: bigint;
  pointsExpireDays: number | null;
}

export const DEFAULT_SETTINGS: LoyaltySettings = {
  phoneCountry: 'ID',
  loyaltyEnabled: false,
  earnPerAmount: 10_000n,
  earnPoints: 1,
  pointsPerVisit: 0,
  itemRules: [],
  tiers: [],
  pointValue: 100n,
  pointsExpireDays: null,
};

/** The tier a lifetime spend reaches: the one with the highest threshold at or below it, if any. */
export function tierFor(tiers: readonly Tier[], lifetimeSpend: bigint): Tier | undefined {
  let best: Tier | undefined;
  for (const t of tiers) if (t.threshold <= lifetimeSpend && (!best || t.threshold > best.threshold)) best = t;
  return best;
}

export interface SaleLine {
  productId: string;
  categoryId: string | null;
  /** Units sold, rounded down to whole units for per-item points (0.5 kg earns nothing per item). */
  quantity: number;
}

/**
 * Points a completed sale earns: floor(spend × earnPoints / earnPerAmount) + points per visit + per-item
 * points (a product rule wins over its category's), all multiplied by the tier's percentage (rounded down).
 * `spend` is what the customer paid for the order (its total); the tier is the one before this sale.
 */
export function pointsEarned(s: LoyaltySettings, spend: bigint, lines: readonly SaleLine[], tier: Tier | undefined): bigint {
  if (!s.loyaltyEnabled || spend <= 0n) return 0n;
  let points = (spend * BigInt(s.earnPoints)) / s.earnPerAmount + BigInt(s.pointsPerVisit);
  for (const l of lines) {
    const rule = s.itemRules.find((r) => r.productId === l.productId) ?? (l.categoryId ? s.itemRules.find((r) => r.categoryId === l.categoryId) : undefined);
    if (rule) points += BigInt(rule.points) * BigInt(Math.floor(l.quantity));
  }
  return (points * BigInt(tier?.multiplierPercent ?? 100)) / 100n;
}

/** Points needed to pay `amount`: rounded up, so points never pay for more than they are worth. */
export const pointsFor = (amount: bigint, pointValue: bigint): bigint => (amount + pointValue - 1n) / pointValue;

/**
 * The share of `whole` that `part` of `of` is, rounded down, computed on cumulative figures so repeated partial
 * refunds add up to exactly `whole` once everything is refunded: share(after) − share(before).
 */
export function proportionalStep(whole: bigint, of: bigint, before: bigint, part: bigint): bigint {
  if (of <= 0n) return 0n;
  const after = before + part >= of ? of : before + part;
  return (whole * after) / of - (whole * before) / of;
}
