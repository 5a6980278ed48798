import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookPrecedence, CHANNELS, checkConditions, localTime, maskFromDays, resolvePrice, type BookRules, type PriceCandidate, type PriceQuery } from './price-resolver.js';

const T0 = new Date('2024-01-01T00:00:00Z');
let n = 0;
const book = (over: Partial<BookRules> = {}): BookRules => ({
  id: `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}`,
  name: `book ${n}`,
  isDefault: false,
  priority: 0,
  active: true,
  archivedAt: null,
  createdAt: new Date(T0.getTime() + n * 1000),
  outletId: null,
  channel: null,
  customerGroupId: null,
  startsAt: null,
  endsAt: null,
  daysOfWeek: null,
  startMinute: null,
  endMinute: null,
  ...over,
});
const priced = (b: BookRules, amount: number): PriceCandidate => ({ book: b, amount: BigInt(amount), currency: 'IDR' });
const jkt = (iso: string, over: Partial<PriceQuery> = {}): PriceQuery => ({ at: new Date(iso), timeZone: 'Asia/Jakarta', ...over });

const defaultBook = book({ name: 'Default', isDefault: true });
const happyHour = book({ name: 'Happy hour', priority: 10, startMinute: 16 * 60, endMinute: 18 * 60 });

describe('localTime', () => {
  it('reads the wall clock of a DST-free zone', () => {
    expect(localTime(new Date('2024-05-03T09:30:00Z'), 'Asia/Jakarta')).toEqual({ weekday: 5, minute: 16 * 60 + 30, date: '2024-05-03' });
  });
  it('follows daylight saving time in America/New_York', () => {
    expect(localTime(new Date('2024-03-09T20:30:00Z'), 'America/New_York').minute).toBe(15 * 60 + 30); // EST, UTC-5
    expect(localTime(new Date('2024-03-11T20:30:00Z'), 'America/New_York').minute).toBe(16 * 60 + 30); // EDT, UTC-4
  });
  it('reports midnight as minute 0, not 24:00', () => {
    expect(localTime(new Date('2024-05-02T17:00:00Z'), 'Asia/Jakarta')).toEqual({ weekday: 5, minute: 0, date: '2024-05-03' });
  });
});

describe('resolvePrice', () => {
  it('uses the default book when nothing else applies', () => {
    const r = resolvePrice([priced(defaultBook, 25000), priced(happyHour, 20000)], jkt('2024-05-03T03:00:00Z'))!;
    expect(r).toMatchObject({ amount: 25000n, priceBookId: defaultBook.id });
    expect(r.reason.candidates.map((c) => [c.priceBookName, c.outcome])).toEqual([
      ['Default', 'won'],
      ['Happy hour', 'not_matching'],
    ]);
    expect(r.reason.candidates[1]!.detail).toContain('10:00 is outside 16:00–18:00');
  });

  it('lets the happy-hour book win inside its hours in the outlet’s time zone, end exclusive', () => {
    const cands = [priced(defaultBook, 25000), priced(happyHour, 20000)];
    expect(resolvePrice(cands, jkt('2024-05-03T09:00:00Z'))!.priceBookId).toBe(happyHour.id); // 16:00 WIB
    expect(resolvePrice(cands, jkt('2024-05-03T10:59:00Z'))!.priceBookId).toBe(happyHour.id); // 17:59 WIB
    expect(resolvePrice(cands, jkt('2024-05-03T11:00:00Z'))!.priceBookId).toBe(defaultBook.id); // 18:00 WIB
    const won = resolvePrice(cands, jkt('2024-05-03T09:30:00Z'))!;
    expect(won.reason.matched).toEqual([{ condition: 'hours', matched: true, detail: 'local time 16:30 is inside 16:00–18:00' }]);
    expect(won.reason.candidates[1]).toMatchObject({ priceBookName: 'Default', outcome: 'fallback_not_needed' });
    expect(won.reason.localTime).toBe('fri 2024-05-03 16:30 Asia/Jakarta');
  });

  it('evaluates hours across a daylight-saving change in the outlet’s zone', () => {
    const cands = [priced(defaultBook, 500), priced(happyHour, 300)];
    const ny = (iso: string) => ({ at: new Date(iso), timeZone: 'America/New_York' });
    expect(resolvePrice(cands, ny('2024-03-09T20:30:00Z'))!.amount).toBe(500n); // 15:30 EST
    expect(resolvePrice(cands, ny('2024-03-11T20:30:00Z'))!.amount).toBe(300n); // 16:30 EDT
  });

  it('gives a window that spans midnight to the day it starts', () => {
    const late = book({ name: 'Friday late', priority: 5, daysOfWeek: maskFromDays(['fri']), startMinute: 22 * 60, endMinute: 2 * 60 });
    const cands = [priced(defaultBook, 100), priced(late, 80)];
    expect(resolvePrice(cands, jkt('2024-05-03T15:30:00Z'))!.amount).toBe(80n); // Fri 22:30
    expect(resolvePrice(cands, jkt('2024-05-03T18:30:00Z'))!.amount).toBe(80n); // Sat 01:30, window opened Friday
    expect(resolvePrice(cands, jkt('2024-05-02T18:30:00Z'))!.amount).toBe(100n); // Fri 01:30, window opened Thursday
    expect(resolvePrice(cands, jkt('2024-05-03T19:00:00Z'))!.amount).toBe(100n); // Sat 02:00, closed
    const sat = checkConditions(late, jkt('2024-05-03T18:30:00Z'));
    expect(sat.find((c) => c.condition === 'days_of_week')!.detail).toContain('fri (the window started the day before)');
  });

  it('applies days of week and a date range', () => {
    const weekend = book({ name: 'Weekend', priority: 1, daysOfWeek: maskFromDays(['sat', 'sun']) });
    const may = book({ name: 'May promo', priority: 2, startsAt: new Date('2024-05-01T00:00:00Z'), endsAt: new Date('2024-06-01T00:00:00Z') });
    const cands = [priced(defaultBook, 100), priced(weekend, 90), priced(may, 70)];
    expect(resolvePrice(cands, jkt('2024-04-27T05:00:00Z'))!.priceBookName).toBe('Weekend'); // Saturday in April
    expect(resolvePrice(cands, jkt('2024-05-04T05:00:00Z'))!.priceBookName).toBe('May promo'); // Saturday in May
    expect(resolvePrice(cands, jkt('2024-06-01T00:00:00Z'))!.priceBookName).toBe('Weekend'); // ends_at exclusive, Sat
    expect(resolvePrice(cands, jkt('2024-06-03T05:00:00Z'))!.priceBookName).toBe('Default'); // Monday in June
  });

  it('needs the outlet, channel and customer group a book names', () => {
    const outlet = book({ name: 'Airport', outletId: 'o-airport', priority: 1 });
    const delivery = book({ name: 'Delivery', channel: 'delivery', priority: 2 });
    const vip = book({ name: 'VIP', customerGroupId: 'g-vip', priority: 3 });
    const cands = [priced(defaultBook, 100), priced(outlet, 120), priced(delivery, 130), priced(vip, 80)];
    expect(resolvePrice(cands, jkt('2024-05-03T05:00:00Z'))!.priceBookName).toBe('Default');
    expect(resolvePrice(cands, jkt('2024-05-03T05:00:00Z', { outletId: 'o-airport' }))!.priceBookName).toBe('Airport');
    expect(resolvePrice(cands, jkt('2024-05-03T05:00:00Z', { outletId: 'o-airport', channel: 'delivery' }))!.priceBookName).toBe('Delivery');
    const all = resolvePrice(cands, jkt('2024-05-03T05:00:00Z', { outletId: 'o-airport', channel: 'delivery', customerGroupId: 'g-vip' }))!;
    expect(all.priceBookName).toBe('VIP');
    expect(all.reason.candidates.map((c) => c.outcome)).toEqual(['won', 'lower_priority', 'lower_priority', 'fallback_not_needed']);
    const other = resolvePrice(cands, jkt('2024-05-03T05:00:00Z', { channel: 'takeaway' }))!;
    expect(other.reason.candidates.find((c) => c.priceBookName === 'Delivery')!.detail).toBe('channel takeaway is not delivery');
    expect(other.reason.candidates.find((c) => c.priceBookName === 'Airport')!.detail).toBe('no outlet given; the book is for outlet o-airport');
  });

  it('breaks a priority tie by specificity, then by the later created book', () => {
    const broad = book({ name: 'Broad', priority: 5, channel: 'dine_in' });
    const narrow = book({ name: 'Narrow', priority: 5, channel: 'dine_in', outletId: 'o1' });
    const q = jkt('2024-05-03T05:00:00Z', { outletId: 'o1', channel: 'dine_in' });
    const r = resolvePrice([priced(broad, 1), priced(narrow, 2)], q)!;
    expect(r.priceBookName).toBe('Narrow');
    expect(r.reason.candidates[1]).toMatchObject({ priceBookName: 'Broad', outcome: 'less_specific' });
    const older = book({ name: 'Older', priority: 5, channel: 'dine_in', createdAt: new Date('2023-01-01T00:00:00Z') });
    const newer = book({ name: 'Newer', priority: 5, channel: 'dine_in', createdAt: new Date('2023-06-01T00:00:00Z') });
    const t = resolvePrice([priced(newer, 3), priced(older, 4)], q)!;
    expect(t.priceBookName).toBe('Newer');
    expect(t.reason.candidates[1]).toMatchObject({ priceBookName: 'Older', outcome: 'created_earlier' });
  });

  it('ignores archived and inactive books, even the default one', () => {
    const archived = book({ name: 'Archived', priority: 9, archivedAt: new Date() });
    const inactive = book({ name: 'Inactive', priority: 9, active: false });
    const r = resolvePrice([priced(archived, 1), priced(inactive, 2), priced(defaultBook, 3)], jkt('2024-05-03T05:00:00Z'))!;
    expect(r.amount).toBe(3n);
    expect(r.reason.candidates.map((c) => c.outcome)).toEqual(['won', 'inactive', 'archived']);
    expect(resolvePrice([priced({ ...defaultBook, active: false }, 3)], jkt('2024-05-03T05:00:00Z'))).toBeUndefined();
  });

  it('returns undefined when no book has an applicable price', () => {
    expect(resolvePrice([], jkt('2024-05-03T05:00:00Z'))).toBeUndefined();
    expect(resolvePrice([priced(happyHour, 1)], jkt('2024-05-03T05:00:00Z'))).toBeUndefined();
  });
});

// ---- properties ----------------------------------------------------------------------------------------

const ZONES = ['Asia/Jakarta', 'America/New_York', 'Europe/London', 'Australia/Adelaide', 'Asia/Kathmandu'];
const instant = fc.date({ min: new Date('2023-01-01T00:00:00Z'), max: new Date('2026-01-01T00:00:00Z'), noInvalidDate: true });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null, freq: 2 });
const bookArb: fc.Arbitrary<BookRules> = fc
  .record({
    id: fc.uuid(),
    priority: fc.integer({ min: -2, max: 2 }),
    active: fc.boolean(),
    archived: fc.boolean(),
    createdAt: instant,
    outletId: opt(fc.constantFrom('o1', 'o2')),
    channel: opt(fc.constantFrom(...CHANNELS)),
    customerGroupId: opt(fc.constantFrom('g1', 'g2')),
    range: opt(fc.tuple(instant, fc.integer({ min: 1, max: 400 * 86_400_000 }))),
    daysOfWeek: opt(fc.integer({ min: 1, max: 127 })),
    hours: opt(fc.tuple(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 1, max: 1440 })).filter(([s, e]) => s !== e)),
  })
  .map((r) => ({
    id: r.id,
    name: `b-${r.id.slice(0, 8)}`,
    isDefault: false,
    priority: r.priority,
    active: r.active || !r.archived, // mostly usable books
    archivedAt: r.archived && !r.active ? r.createdAt : null,
    createdAt: r.createdAt,
    outletId: r.outletId,
    channel: r.channel,
    customerGroupId: r.customerGroupId,
    startsAt: r.range ? r.range[0] : null,
    endsAt: r.range ? new Date(r.range[0].getTime() + r.range[1]) : null,
    daysOfWeek: r.daysOfWeek,
    startMinute: r.hours ? r.hours[0] : null,
    endMinute: r.hours ? r.hours[1] : null,
  }));
const candArb = fc.tuple(bookArb, fc.bigInt({ min: 0n, max: 10_000_000n })).map(([b, amount]): PriceCandidate => ({ book: b, amount, currency: 'IDR' }));
const queryArb: fc.Arbitrary<PriceQuery> = fc.record({
  outletId: fc.option(fc.constantFrom('o1', 'o2'), { nil: undefined }),
  channel: fc.option(fc.constantFrom(...CHANNELS), { nil: undefined }),
  customerGroupId: fc.option(fc.constantFrom('g1', 'g2'), { nil: undefined }),
  at: instant,
  timeZone: fc.constantFrom(...ZONES),
});
const withDefault = fc.boolean().map((has) => (has ? [priced(book({ name: 'Default', isDefault: true }), 999)] : []));
const applies = (b: BookRules, q: PriceQuery) => b.active && !b.archivedAt && checkConditions(b, q).every((c) => c.matched);

/**
 * An independent oracle for "does this book apply", written differently from the resolver: the wall clock from
 * a differently configured Intl formatter, and windows enumerated per starting day ([s, e) on day D, or
 * [s, 24:00) on D plus [00:00, e) on D+1 when the window spans midnight).
 */
const WEEK = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
function oracleApplies(b: BookRules, q: PriceQuery): boolean {
  if (!b.active || b.archivedAt) return false;
  if (b.outletId !== null && b.outletId !== q.outletId) return false;
  if (b.channel !== null && b.channel !== q.channel) return false;
  if (b.customerGroupId !== null && b.customerGroupId !== q.customerGroupId) return false;
  if (b.startsAt && q.at < b.startsAt) return false;
  if (b.endsAt && q.at >= b.endsAt) return false;
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: q.timeZone, weekday: 'long', hour: 'numeric', minute: 'numeric', hour12: false }).formatToParts(q.at);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  const day = WEEK.indexOf(get('weekday')); // 0 = Monday
  const minute = (Number(get('hour')) % 24) * 60 + Number(get('minute'));
  const dayAllowed = (d: number) => b.daysOfWeek === null || (b.daysOfWeek & (1 << d)) !== 0;
  if (b.startMinute === null || b.endMinute === null) return dayAllowed(day);
  const s = b.startMinute;
  const e = b.endMinute;
  for (let d = 0; d < 7; d++) {
    if (!dayAllowed(d)) continue;
    const spans = e < s;
    if (d === day && minute >= s && (spans || minute < e)) return true;
    if (spans && (d + 1) % 7 === day && minute < e) return true;
  }
  return false;
}

describe('resolvePrice properties', () => {
  it('the winner is usable and matches every condition it sets', () => {
    fc.assert(
      fc.property(fc.array(candArb, { maxLength: 8 }), withDefault, queryArb, (cands, def, q) => {
        const r = resolvePrice([...cands, ...def], q);
        if (!r) return;
        const w = [...cands, ...def].find((c) => c.book.id === r.priceBookId)!.book;
        expect(applies(w, q)).toBe(true);
        expect(r.reason.matched.every((c) => c.matched)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('no applicable book outranks the winner by priority, and the default wins only when nothing else applies', () => {
    fc.assert(
      fc.property(fc.array(candArb, { maxLength: 8 }), withDefault, queryArb, (cands, def, q) => {
        const r = resolvePrice([...cands, ...def], q);
        const usable = cands.filter((c) => applies(c.book, q));
        if (usable.length === 0) {
          expect(r?.priceBookId).toBe(def[0]?.book.id);
          return;
        }
        const winner = cands.find((c) => c.book.id === r!.priceBookId)!;
        expect(winner.book.isDefault).toBe(false);
        for (const c of usable) expect(c.book.priority).toBeLessThanOrEqual(winner.book.priority);
      }),
      { numRuns: 400 },
    );
  });

  it('adding a book that does not apply never changes the result', () => {
    fc.assert(
      fc.property(fc.array(candArb, { maxLength: 6 }), withDefault, candArb, queryArb, (cands, def, extra, q) => {
        fc.pre(!applies(extra.book, q));
        const before = resolvePrice([...cands, ...def], q);
        const after = resolvePrice([...cands, extra, ...def], q);
        expect(after?.priceBookId).toBe(before?.priceBookId);
        expect(after?.amount).toBe(before?.amount);
      }),
      { numRuns: 400 },
    );
  });

  it('agrees with an independent oracle: the winner applies, and the default wins only when no other book applies', () => {
    fc.assert(
      fc.property(fc.array(candArb, { maxLength: 6 }), withDefault, queryArb, (cands, def, q) => {
        const r = resolvePrice([...cands, ...def], q);
        const usable = cands.filter((c) => oracleApplies(c.book, q));
        for (const c of cands) expect(applies(c.book, q), c.book.name).toBe(oracleApplies(c.book, q));
        if (usable.length === 0) expect(r?.priceBookId).toBe(def[0]?.book.id);
        else expect(usable.map((c) => c.book.id)).toContain(r!.priceBookId);
      }),
      { numRuns: 1000 },
    );
  });

  it('does not depend on the order of the candidates', () => {
    fc.assert(
      fc.property(fc.array(candArb, { maxLength: 8 }), withDefault, queryArb, fc.infiniteStream(fc.integer()), (cands, def, q, seeds) => {
        const all = [...cands, ...def];
        const shuffled = all.map((c) => ({ c, k: seeds.next().value })).sort((a, b) => a.k - b.k).map((x) => x.c);
        expect(resolvePrice(shuffled, q)?.priceBookId).toBe(resolvePrice(all, q)?.priceBookId);
      }),
      { numRuns: 300 },
    );
  });

  it('reports every candidate exactly once', () => {
    fc.assert(
      fc.property(fc.array(candArb, { maxLength: 8 }), withDefault, queryArb, (cands, def, q) => {
        const r = resolvePrice([...cands, ...def], q);
        if (!r) return;
        expect(r.reason.candidates).toHaveLength(cands.length + def.length);
        expect(r.reason.candidates.filter((c) => c.outcome === 'won')).toHaveLength(1);
        expect(r.reason.candidates[0]!.priceBookId).toBe(r.priceBookId);
      }),
      { numRuns: 200 },
    );
  });

  it('bookPrecedence prices every variant as resolvePrice does: its price in the first book of the order that has one', () => {
    fc.assert(
      fc.property(fc.array(bookArb, { maxLength: 8 }), withDefault, queryArb, fc.array(fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }), { minLength: 1, maxLength: 6 }), (books, def, q, has) => {
        const all = [...books, ...def.map((c) => c.book)];
        const order = bookPrecedence(all, q);
        // Each "variant" has a price in a subset of the books (and in the default book when it has one).
        for (const [v, mask] of has.entries()) {
          const cands = all.filter((b, i) => b.isDefault || mask[i]).map((b, i): PriceCandidate => ({ book: b, amount: BigInt(v * 100 + i), currency: 'IDR' }));
          const priced = new Set(cands.map((c) => c.book.id));
          expect(order.find((id) => priced.has(id))).toBe(resolvePrice(cands, q)?.priceBookId);
        }
      }),
      { numRuns: 500 },
    );
  });
});
