import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, bestPromotions } from './promotion-engine.js';
import { emptyScope, type PromoContext, type PromoLine, type PromotionRule } from './promotion.js';

const ctx = (over: Partial<PromoContext> = {}): PromoContext => ({
  outletId: 'o1',
  channel: 'pos',
  orderType: 'takeaway',
  at: new Date('2026-05-04T01:00:00Z'),
  local: { weekday: 1, minute: 8 * 60 },
  customerGroupIds: [],
  coupons: new Map(),
  ...over,
});

const promo = (over: Partial<PromotionRule> & Pick<PromotionRule, 'id' | 'kind'>): PromotionRule => ({
  name: over.id,
  priority: 0,
  exclusive: false,
  rateBp: null,
  amount: null,
  scope: emptyScope,
  buyQuantity: null,
  getQuantity: null,
  getScope: null,
  bundle: [],
  minSubtotal: 0n,
  outletIds: [],
  channels: [],
  orderTypes: [],
  customerGroupIds: [],
  startsAt: null,
  endsAt: null,
  daysOfWeek: [],
  startMinute: null,
  endMinute: null,
  couponOnly: false,
  exhausted: false,
  ...over,
});

const line = (key: string, unitPrice: bigint, units: number, over: Partial<PromoLine> = {}): PromoLine => ({
  key,
  productId: `p-${key}`,
  variantId: `v-${key}`,
  categoryId: null,
  unitPrice,
  milli: BigInt(units) * 1000n,
  gross: unitPrice * BigInt(units),
  ...over,
});

const pastry = { productIds: [], variantIds: [], categoryIds: ['pastry'] };

describe('promotion examples', () => {
  it('takes 10% off pastries before 9am and nothing at 9', () => {
    const lines = [line('a', 20_000n, 2, { categoryId: 'pastry' }), line('b', 30_000n, 1, { categoryId: 'coffee' })];
    const early = promo({ id: 'p1', kind: 'percentage', rateBp: 1000, scope: pastry, startMinute: 0, endMinute: 9 * 60 });
    expect(bestPromotions(lines, ctx(), [early]).lines.get('a')).toEqual([{ promotionId: 'p1', name: 'p1', amount: 4_000n }]);
    expect(bestPromotions(lines, ctx({ local: { weekday: 1, minute: 9 * 60 } }), [early]).total).toBe(0n);
  });

  it('gives the cheapest of each buy-one-get-one pair free', () => {
    const lines = [line('a', 30_000n, 1), line('b', 25_000n, 2), line('c', 10_000n, 1)];
    const bogo = promo({ id: 'bogo', kind: 'buy_x_get_y', buyQuantity: 1, getQuantity: 1 });
    const r = bestPromotions(lines, ctx(), [bogo]);
    // 4 units → 2 rewards: the two cheapest units (10,000 and one 25,000).
    expect(r.total).toBe(35_000n);
    expect(r.lines.get('c')![0]!.amount).toBe(10_000n);
    expect(r.lines.get('b')![0]!.amount).toBe(25_000n);
  });

  it('buy a coffee, get a pastry half price', () => {
    const lines = [line('a', 30_000n, 2, { categoryId: 'coffee' }), line('b', 20_000n, 3, { categoryId: 'pastry' })];
    const p = promo({ id: 'x', kind: 'buy_x_get_y', buyQuantity: 1, getQuantity: 1, rateBp: 5000, scope: { ...emptyScope, categoryIds: ['coffee'] }, getScope: pastry });
    expect(bestPromotions(lines, ctx(), [p]).total).toBe(20_000n);
  });

  it('sells a bundle at its price, shared over its units by price', () => {
    const lines = [line('a', 30_000n, 1, { categoryId: 'coffee' }), line('b', 20_000n, 1, { categoryId: 'pastry' })];
    const p = promo({ id: 'b', kind: 'bundle_price', amount: 40_000n, bundle: [{ scope: { ...emptyScope, categoryIds: ['coffee'] }, quantity: 1 }, { scope: pastry, quantity: 1 }] });
    const r = bestPromotions(lines, ctx(), [p]);
    expect(r.total).toBe(10_000n);
    expect(r.lines.get('a')![0]!.amount).toBe(6_000n);
    expect(r.lines.get('b')![0]!.amount).toBe(4_000n);
  });

  it('gives an order discount only from the minimum spend on', () => {
    const p = promo({ id: 'o', kind: 'order_discount', amount: 10_000n, minSubtotal: 100_000n });
    expect(bestPromotions([line('a', 50_000n, 1)], ctx(), [p]).total).toBe(0n);
    expect(bestPromotions([line('a', 50_000n, 2)], ctx(), [p]).total).toBe(10_000n);
  });

  it('prefers an exclusive promotion worth more over a combination, and never combines it', () => {
    const lines = [line('a', 100_000n, 1)];
    const half = promo({ id: 'half', kind: 'percentage', rateBp: 5000, exclusive: true });
    const ten = promo({ id: 'ten', kind: 'percentage', rateBp: 1000 });
    const five = promo({ id: 'five', kind: 'fixed_amount', amount: 5_000n });
    const r = bestPromotions(lines, ctx(), [ten, half, five]);
    expect(r.applied.map((a) => a.promotionId)).toEqual(['half']);
    const r2 = bestPromotions(lines, ctx(), [ten, five]);
    expect(r2.applied.map((a) => a.promotionId).sort()).toEqual(['five', 'ten']);
  });

  it('applies a coupon-only promotion only with its coupon, named with the code', () => {
    const p = promo({ id: 'c', kind: 'percentage', rateBp: 2000, couponOnly: true });
    expect(bestPromotions([line('a', 10_000n, 1)], ctx(), [p]).total).toBe(0n);
    const r = bestPromotions([line('a', 10_000n, 1)], ctx({ coupons: new Map([['c', 'WELCOME']]) }), [p]);
    expect(r.applied).toEqual([{ promotionId: 'c', name: 'c', amount: 2_000n, couponCode: 'WELCOME' }]);
  });

  it('honours outlets, channels, order types, groups, dates and weekdays', () => {
    const l = [line('a', 10_000n, 1)];
    const base = { id: 'p', kind: 'percentage' as const, rateBp: 1000 };
    expect(bestPromotions(l, ctx(), [promo({ ...base, outletIds: ['o2'] })]).total).toBe(0n);
    expect(bestPromotions(l, ctx(), [promo({ ...base, channels: ['kiosk'] })]).total).toBe(0n);
    expect(bestPromotions(l, ctx(), [promo({ ...base, orderTypes: ['dine_in'] })]).total).toBe(0n);
    expect(bestPromotions(l, ctx(), [promo({ ...base, customerGroupIds: ['vip'] })]).total).toBe(0n);
    expect(bestPromotions(l, ctx({ customerGroupIds: ['vip'] }), [promo({ ...base, customerGroupIds: ['vip'] })]).total).toBe(1_000n);
    expect(bestPromotions(l, ctx(), [promo({ ...base, endsAt: new Date('2026-05-04T01:00:00Z') })]).total).toBe(0n);
    expect(bestPromotions(l, ctx(), [promo({ ...base, startsAt: new Date('2026-05-05T00:00:00Z') })]).total).toBe(0n);
    expect(bestPromotions(l, ctx(), [promo({ ...base, daysOfWeek: [6, 7] })]).total).toBe(0n);
    // 22:00–02:00 wraps midnight.
    expect(bestPromotions(l, ctx({ local: { weekday: 1, minute: 60 } }), [promo({ ...base, startMinute: 22 * 60, endMinute: 2 * 60 })]).total).toBe(1_000n);
  });
});

// ---- properties ---------------------------------------------------------------------------------------

const ids = ['a', 'b', 'c', 'd', 'e'];
const scopeArb = fc.record({
  productIds: fc.subarray(ids.map((i) => `p-${i}`), { maxLength: 2 }),
  variantIds: fc.subarray(ids.map((i) => `v-${i}`), { maxLength: 2 }),
  categoryIds: fc.subarray(['x', 'y'], { maxLength: 1 }),
});
const lineArb = fc.record({
  unitPrice: fc.bigInt({ min: 0n, max: 200_000n }),
  units: fc.integer({ min: 1, max: 6 }),
  weighed: fc.boolean(),
  category: fc.constantFrom('x', 'y', null),
});
const linesArb = fc.uniqueArray(fc.constantFrom(...ids), { minLength: 1, maxLength: 5 }).chain((keys) =>
  fc.tuple(...keys.map((k) => lineArb.map((x) => {
    const milli = x.weighed ? BigInt(x.units) * 1000n - 250n : BigInt(x.units) * 1000n;
    return line(k, x.unitPrice, 1, { milli, gross: (x.unitPrice * milli + 500n) / 1000n, categoryId: x.category });
  }))),
);
const promoArb = fc
  .record({
    id: fc.uuid(),
    kind: fc.constantFrom('percentage', 'fixed_amount', 'fixed_price', 'buy_x_get_y', 'bundle_price', 'order_discount' as const),
    priority: fc.integer({ min: 0, max: 3 }),
    exclusive: fc.boolean(),
    rateBp: fc.integer({ min: 0, max: 10_000 }),
    amount: fc.bigInt({ min: 0n, max: 300_000n }),
    useAmount: fc.boolean(),
    scope: scopeArb,
    getScope: fc.option(scopeArb, { nil: null }),
    buy: fc.integer({ min: 1, max: 3 }),
    get: fc.integer({ min: 1, max: 2 }),
    bundle: fc.array(fc.record({ scope: scopeArb, quantity: fc.integer({ min: 1, max: 2 }) }), { maxLength: 2 }),
    minSubtotal: fc.bigInt({ min: 0n, max: 400_000n }),
  })
  .map((r) =>
    promo({
      id: r.id,
      kind: r.kind,
      priority: r.priority,
      exclusive: r.exclusive,
      rateBp: r.kind === 'order_discount' && r.useAmount ? null : r.rateBp,
      amount: r.kind === 'order_discount' && !r.useAmount ? null : r.amount,
      scope: r.scope,
      getScope: r.getScope,
      buyQuantity: r.buy,
      getQuantity: r.get,
      bundle: r.bundle,
      minSubtotal: r.minSubtotal,
    }),
  );
const promosArb = fc.array(promoArb, { maxLength: 6 });

const flat = (r: ReturnType<typeof bestPromotions>) => ({ total: r.total, applied: r.applied, lines: [...r.lines.entries()].sort() });

describe('promotion engine properties', () => {
  it('never takes a line below zero nor more than its subtotal, and the parts add up', () => {
    fc.assert(
      fc.property(linesArb, promosArb, (lines, promos) => {
        const r = bestPromotions(lines, ctx(), promos);
        let sum = 0n;
        for (const l of lines) {
          const taken = (r.lines.get(l.key) ?? []).reduce((s, p) => {
            expect(p.amount).toBeGreaterThan(0n);
            return s + p.amount;
          }, 0n);
          expect(taken).toBeLessThanOrEqual(l.gross);
          sum += taken;
        }
        expect(sum).toBe(r.total);
        expect(r.applied.reduce((s, a) => s + a.amount, 0n)).toBe(r.total);
      }),
      { numRuns: 400 },
    );
  });

  it('gives the same answer for the same input, whatever the order of lines and promotions', () => {
    fc.assert(
      fc.property(linesArb, promosArb, fc.integer(), (lines, promos, seed) => {
        const shuffle = <T>(xs: readonly T[]) => [...xs].map((x, i) => ({ x, k: (i * 7919 + seed) % 101 })).sort((a, b) => a.k - b.k).map((e) => e.x);
        const a = flat(bestPromotions(lines, ctx(), promos));
        expect(flat(bestPromotions(lines, ctx(), promos))).toEqual(a);
        expect(flat(bestPromotions(shuffle(lines), ctx(), shuffle(promos)))).toEqual(a);
      }),
      { numRuns: 300 },
    );
  });

  it('never combines an exclusive promotion with another', () => {
    fc.assert(
      fc.property(linesArb, promosArb, (lines, promos) => {
        const r = bestPromotions(lines, ctx(), promos);
        const exclusive = new Set(promos.filter((p) => p.exclusive).map((p) => p.id));
        if (r.applied.some((a) => exclusive.has(a.promotionId))) expect(r.applied).toHaveLength(1);
      }),
      { numRuns: 400 },
    );
  });

  it('is at least as good for the customer as any single applicable promotion', () => {
    fc.assert(
      fc.property(linesArb, promosArb, (lines, promos) => {
        const r = bestPromotions(lines, ctx(), promos);
        for (const p of promos) expect(r.total).toBeGreaterThanOrEqual(bestPromotions(lines, ctx(), [p]).total);
      }),
      { numRuns: 2000 },
    );
  });

  it('allocate splits exactly and never over a weight', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1, maxLength: 8 }), fc.double({ min: 0, max: 1, noNaN: true }), (w, f) => {
        const sum = w.reduce((s, x) => s + x, 0n);
        const total = BigInt(Math.floor(Number(sum) * f));
        const parts = allocate(total > sum ? sum : total, w);
        expect(parts.reduce((s, x) => s + x, 0n)).toBe(total > sum ? sum : total);
        parts.forEach((p, i) => expect(p <= w[i]! && p >= 0n).toBe(true));
      }),
    );
  });
});
