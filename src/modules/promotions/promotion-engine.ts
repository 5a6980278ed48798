import { byPriority, inScope, isAvailable, type PromoContext, type PromoLine, type PromotionResult, type PromotionRule, type LinePromotion, type Scope } from './promotion.js';

/**
 * THE PROMOTION ENGINE, pure: the best valid combination of the promotions that apply to a sale.
 *
 * Candidates are each available exclusive promotion alone, and every combinable (non-exclusive) one together,
 * applied in priority order (higher first, ties by id), each to what the earlier ones left of each line. The
 * candidate that takes most off wins; on a tie the first in that order (exclusive ones first). Hence an
 * exclusive promotion never combines, and lines are sorted by key first, so the input order does not matter.
 *
 * A combinable promotion alone is never a better candidate than the combination it is in, so it is not tried:
 * on every line, what the promotions before it took plus what it takes of the rest is at least what it would
 * take alone (a percentage of the rest plus the part taken ≥ the percentage of the whole; a fixed price or a
 * capped amount reaches the same floor; X-for-Y, bundles and minimum spends are judged on the gross). So the
 * result is at least as good for the customer as any single promotion (a property test checks it).
 *
 * Every amount a promotion takes off a line is capped at what is left of it: a line never goes below zero and
 * its promotions never sum to more than its gross. Minimum spends are judged on the eligible lines' gross
 * (before promotions), so combining never switches an order discount off.
 */
export function bestPromotions(lines: readonly PromoLine[], c: PromoContext, promotions: readonly PromotionRule[]): PromotionResult {
  const sorted = [...lines].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const available = promotions.filter((p) => isAvailable(p, c)).sort(byPriority);
  let best: Applied | undefined;
  const consider = (list: readonly PromotionRule[]) => {
    const a = run(sorted, list);
    if (a.total > 0n && (!best || a.total > best.total)) best = a;
  };
  for (const p of available) if (p.exclusive) consider([p]);
  const combinable = available.filter((p) => !p.exclusive);
  if (combinable.length > 0) consider(combinable);
  return best ? present(sorted, best, c) : { lines: new Map(), applied: [], total: 0n };
}

interface Applied {
  total: bigint;
  /** Per promotion applied (in order), its amount on each line (index of the sorted lines). */
  steps: { promotion: PromotionRule; offs: bigint[] }[];
}

function run(lines: readonly PromoLine[], list: readonly PromotionRule[]): Applied {
  const rem = lines.map((l) => l.gross);
  const steps: Applied['steps'] = [];
  let total = 0n;
  for (const p of list) {
    const offs = worth(p, lines, rem).map((o, i) => (o > rem[i]! ? rem[i]! : o < 0n ? 0n : o));
    const sum = offs.reduce((s, o) => s + o, 0n);
    if (sum === 0n) continue;
    offs.forEach((o, i) => (rem[i]! -= o));
    steps.push({ promotion: p, offs });
    total += sum;
  }
  return { total, steps };
}

function present(lines: readonly PromoLine[], a: Applied, c: PromoContext): PromotionResult {
  const byLine = new Map<string, LinePromotion[]>();
  const applied: LinePromotion[] = [];
  for (const { promotion: p, offs } of a.steps) {
    const coupon = c.coupons.get(p.id);
    const named = (amount: bigint): LinePromotion => ({ promotionId: p.id, name: p.name, amount, ...(coupon !== undefined ? { couponCode: coupon } : {}) });
    offs.forEach((o, i) => {
      if (o === 0n) return;
      const key = lines[i]!.key;
      byLine.set(key, [...(byLine.get(key) ?? []), named(o)]);
    });
    applied.push(named(offs.reduce((s, o) => s + o, 0n)));
  }
  return { lines: byLine, applied, total: a.total };
}

/** rate (basis points) of x, half up. */
export const pct = (x: bigint, rateBp: number): bigint => (x * BigInt(rateBp) + 5000n) / 10_000n;

/** What one promotion would take off each line given what is left of them (`rem`); capped by the caller. */
function worth(p: PromotionRule, lines: readonly PromoLine[], rem: readonly bigint[]): bigint[] {
  const zero = lines.map(() => 0n);
  const inP = lines.map((l) => inScope(p.scope, l));
  switch (p.kind) {
    case 'percentage':
      return lines.map((_, i) => (inP[i] ? pct(rem[i]!, p.rateBp ?? 0) : 0n));
    case 'fixed_amount':
      return lines.map((l, i) => (inP[i] ? ((p.amount ?? 0n) * l.milli) / 1000n : 0n));
    case 'fixed_price':
      return lines.map((l, i) => {
        if (!inP[i]) return 0n;
        const target = ((p.amount ?? 0n) * l.milli + 500n) / 1000n;
        return rem[i]! > target ? rem[i]! - target : 0n;
      });
    case 'order_discount': {
      const base = lines.reduce((s, l, i) => (inP[i] ? s + l.gross : s), 0n);
      if (base === 0n || base < p.minSubtotal) return zero;
      const weights = rem.map((r, i) => (inP[i] ? r : 0n));
      const left = weights.reduce((s, w) => s + w, 0n);
      const want = p.amount !== null ? p.amount : pct(left, p.rateBp ?? 0);
      return allocate(want > left ? left : want, weights);
    }
    case 'buy_x_get_y':
      return buyXGetY(p, lines, inP);
    case 'bundle_price':
      return bundles(p, lines);
  }
}

const unitsOf = (l: PromoLine): number => (l.milli % 1000n === 0n ? Number(l.milli / 1000n) : 0);

/** Buy X get Y: the cheapest reward units (ties by line key) get rateBp off (default: free). */
function buyXGetY(p: PromotionRule, lines: readonly PromoLine[], inP: readonly boolean[]): bigint[] {
  const x = p.buyQuantity ?? 1;
  const y = p.getQuantity ?? 1;
  const getScope: Scope | null = p.getScope;
  let rewards: number;
  let pool: number[];
  if (!getScope) {
    pool = lines.flatMap((_, i) => (inP[i] ? [i] : []));
    const n = pool.reduce((s, i) => s + unitsOf(lines[i]!), 0);
    rewards = Math.floor(n / (x + y)) * y;
  } else {
    const inGet = lines.map((l) => inScope(getScope, l));
    pool = lines.flatMap((_, i) => (inGet[i] ? [i] : []));
    const bought = lines.reduce((s, l, i) => (inP[i] && !inGet[i] ? s + unitsOf(l) : s), 0);
    rewards = Math.floor(bought / x) * y;
  }
  const offs = lines.map(() => 0n);
  pool.sort((a, b) => (lines[a]!.unitPrice < lines[b]!.unitPrice ? -1 : lines[a]!.unitPrice > lines[b]!.unitPrice ? 1 : a - b));
  for (const i of pool) {
    if (rewards <= 0) break;
    const take = Math.min(rewards, unitsOf(lines[i]!));
    rewards -= take;
    offs[i] = pct(lines[i]!.unitPrice * BigInt(take), p.rateBp ?? 10_000);
  }
  return offs;
}

/** At most this many bundles are formed per order (a bound on the work for absurd quantities). */
export const MAX_BUNDLES_PER_ORDER = 1000;

/**
 * Bundle price: as many whole bundles as the lines make, each filled from its components' dearest available
 * units (the best for the customer), its discount (units' price − bundle price, when positive) shared over the
 * units in proportion to their prices.
 */
function bundles(p: PromotionRule, lines: readonly PromoLine[]): bigint[] {
  const offs = lines.map(() => 0n);
  if (p.bundle.length === 0 || p.amount === null) return offs;
  const left = lines.map(unitsOf);
  const order = lines.map((_, i) => i).sort((a, b) => (lines[a]!.unitPrice > lines[b]!.unitPrice ? -1 : lines[a]!.unitPrice < lines[b]!.unitPrice ? 1 : a - b));
  const members = p.bundle.map((c) => order.filter((i) => inScope(c.scope, lines[i]!)));
  for (let made = 0; made < MAX_BUNDLES_PER_ORDER; made++) {
    const taken: number[] = [];
    let ok = true;
    p.bundle.forEach((c, n) => {
      let need = c.quantity;
      for (const i of members[n]!) {
        while (need > 0 && left[i]! > 0) {
          left[i]!--;
          taken.push(i);
          need--;
        }
      }
      if (need > 0) ok = false;
    });
    if (!ok) {
      for (const i of taken) left[i]!++;
      break;
    }
    const prices = taken.map((i) => lines[i]!.unitPrice);
    const full = prices.reduce((s, v) => s + v, 0n);
    if (full <= p.amount) continue;
    allocate(full - p.amount, prices).forEach((share, k) => (offs[taken[k]!]! += share));
  }
  return offs;
}

/**
 * Splits `total` (0 <= total <= Σ weights) in proportion to `weights` (each >= 0) by largest remainder, ties to
 * the earlier index: the parts sum to `total` and no part exceeds its weight.
 */
export function allocate(total: bigint, weights: readonly bigint[]): bigint[] {
  const sum = weights.reduce((s, w) => s + w, 0n);
  if (sum === 0n || total === 0n) return weights.map(() => 0n);
  const parts = weights.map((w) => (total * w) / sum);
  let short = total - parts.reduce((s, v) => s + v, 0n);
  const rank = weights.map((w, i) => ({ i, r: (total * w) % sum })).sort((a, b) => (a.r > b.r ? -1 : a.r < b.r ? 1 : a.i - b.i));
  for (const { i } of rank) {
    if (short === 0n) break;
    if (parts[i]! < weights[i]!) {
      parts[i]!++;
      short--;
    }
  }
  return parts;
}
