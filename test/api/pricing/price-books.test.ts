import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { as, countRows, createTenant, fieldsOf, outletIn, priceEvents, productFixture, query, startPricingServer, type Client, type TestServer, type TestTenant } from './support.js';

let s: TestServer;
let a: TestTenant;
let b: TestTenant;
let api: Client;

beforeAll(async () => {
  s = await startPricingServer();
  a = await createTenant(s.app);
  b = await createTenant(s.app);
  api = as(s, a);
});
afterAll(() => s.stop());

/** A variant priced 25,000 in the default book, and a happy-hour book 16:00–18:00 at 20,000. */
async function happyHourSetup(c: Client, t: TestTenant, extra: Record<string, unknown> = {}) {
  const { variantIds: [v] } = await productFixture(s, t);
  await c.put(`/api/v1/variants/${v}/price`, { amount: 25000, currency: 'IDR' });
  const hh = await c.post('/api/v1/price-books', { name: 'Happy hour', priority: 10, hours_start: '16:00', hours_end: '18:00', ...extra });
  expect(hh.status).toBe(201);
  const set = await c.patch(`/api/v1/price-books/${hh.body.id}/prices`, { set: [{ variant_id: v, amount: 20000 }] });
  expect(set.status).toBe(200);
  return { v: v!, book: hh.body.id as string };
}
const priceAt = async (c: Client, v: string, params: string) => (await c.get(`/api/v1/variants/${v}/price?${params}`)).body;

describe('happy hour in the outlet’s time zone', () => {
  it('wins only inside its hours at an Asia/Jakarta outlet (UTC+7, no DST)', async () => {
    const outlet = await outletIn(s, a, 'Asia/Jakarta');
    const { v, book } = await happyHourSetup(api, a);
    const at = (iso: string) => priceAt(api, v, `outlet_id=${outlet}&at=${encodeURIComponent(iso)}`);
    expect((await at('2024-05-03T08:59:00Z')).amount).toBe(25000); // 15:59 WIB
    const inside = await at('2024-05-03T09:30:00Z'); // 16:30 WIB
    expect(inside).toMatchObject({ amount: 20000, price_book_id: book, price_book_name: 'Happy hour' });
    expect(inside.reason.local_time).toBe('fri 2024-05-03 16:30 Asia/Jakarta');
    expect(inside.reason.matched).toEqual([{ condition: 'hours', matched: true, detail: 'local time 16:30 is inside 16:00–18:00' }]);
    expect(inside.reason.candidates.map((c: { price_book_name: string; outcome: string }) => [c.price_book_name, c.outcome])).toEqual([
      ['Happy hour', 'won'],
      ['Default', 'fallback_not_needed'],
    ]);
    expect((await at('2024-05-03T16:30:00+07:00')).amount).toBe(20000); // the same instant, written locally
    expect((await at('2024-05-03T11:00:00Z')).amount).toBe(25000); // 18:00 WIB: the end is exclusive
  });

  it('follows daylight saving time at an America/New_York outlet', async () => {
    const outlet = await outletIn(s, a, 'America/New_York');
    const { v } = await happyHourSetup(api, a);
    // 20:30Z is 15:30 EST on Saturday 9 March 2024 and 16:30 EDT on Monday 11 March, after the clocks went forward.
    expect((await priceAt(api, v, `outlet_id=${outlet}&at=2024-03-09T20:30:00Z`)).amount).toBe(25000);
    expect((await priceAt(api, v, `outlet_id=${outlet}&at=2024-03-11T20:30:00Z`)).amount).toBe(20000);
    // The same instant at the tenant's own zone (Asia/Jakarta, 03:30 next day) is outside the hours.
    expect((await priceAt(api, v, 'at=2024-03-11T20:30:00Z')).amount).toBe(25000);
  });

  it('spans midnight on the days it starts', async () => {
    const outlet = await outletIn(s, a, 'Asia/Jakarta');
    const { v } = await happyHourSetup(api, a, { hours_start: '22:00', hours_end: '02:00', days_of_week: ['fri'] });
    const at = (iso: string) => priceAt(api, v, `outlet_id=${outlet}&at=${encodeURIComponent(iso)}`);
    expect((await at('2024-05-03T23:00:00+07:00')).amount).toBe(20000); // Friday night
    expect((await at('2024-05-04T01:30:00+07:00')).amount).toBe(20000); // early Saturday, window opened Friday
    expect((await at('2024-05-03T01:30:00+07:00')).amount).toBe(25000); // early Friday, window opened Thursday
    const book = await api.get('/api/v1/price-books?page_size=100');
    expect(book.body.items).toContainEqual(expect.objectContaining({ days_of_week: ['fri'], hours_start: '22:00', hours_end: '02:00' }));
  });
});

describe('outlet, channel and customer-group books', () => {
  it('picks the matching book with the highest priority and explains the losers', async () => {
    const t = await createTenant(s.app);
    const c = as(s, t);
    const second = await outletIn(s, t, 'Asia/Jakarta');
    const { variantIds: [v] } = await productFixture(s, t);
    await c.put(`/api/v1/variants/${v}/price`, { amount: 25000, currency: 'IDR' });
    const mk = async (body: Record<string, unknown>, amount: number) => {
      const r = await c.post('/api/v1/price-books', body);
      expect(r.status).toBe(201);
      await c.patch(`/api/v1/price-books/${r.body.id}/prices`, { set: [{ variant_id: v, amount }] });
      return r.body.id as string;
    };
    await mk({ name: 'Main outlet', outlet_id: t.outletId, priority: 1 }, 27000);
    await mk({ name: 'Delivery', channel: 'delivery', priority: 2 }, 30000);
    await mk({ name: 'Delivery at main', channel: 'delivery', outlet_id: t.outletId, priority: 2 }, 31000);
    await mk({ name: 'Members', customer_group_id: '0190a0a0-0000-7000-8000-000000000001', priority: 5 }, 22000);
    expect((await priceAt(c, v!, `outlet_id=${second}`)).amount).toBe(25000);
    expect((await priceAt(c, v!, `outlet_id=${t.outletId}`)).amount).toBe(27000);
    expect((await priceAt(c, v!, `outlet_id=${second}&channel=delivery`)).amount).toBe(30000);
    const tie = await priceAt(c, v!, `outlet_id=${t.outletId}&channel=delivery`);
    expect(tie.price_book_name).toBe('Delivery at main');
    expect(tie.reason.candidates.find((x: { price_book_name: string }) => x.price_book_name === 'Delivery')).toMatchObject({ outcome: 'less_specific' });
    expect(tie.reason.candidates.find((x: { price_book_name: string }) => x.price_book_name === 'Main outlet')).toMatchObject({ outcome: 'lower_priority' });
    expect((await priceAt(c, v!, `outlet_id=${t.outletId}&channel=delivery&customer_group_id=0190a0a0-0000-7000-8000-000000000001`)).amount).toBe(22000);
  });

  it('stops applying a book once it is archived or deactivated', async () => {
    const { v, book } = await happyHourSetup(api, a, { hours_start: null, hours_end: null, channel: 'kiosk' });
    expect((await priceAt(api, v, 'channel=kiosk')).amount).toBe(20000);
    expect((await api.patch(`/api/v1/price-books/${book}`, { active: false })).body.active).toBe(false);
    expect((await priceAt(api, v, 'channel=kiosk')).reason.candidates[1]).toMatchObject({ outcome: 'inactive' });
    await api.patch(`/api/v1/price-books/${book}`, { active: true });
    const archived = await api.post(`/api/v1/price-books/${book}/archive`);
    expect(archived.body.archived_at).not.toBeNull();
    expect((await priceAt(api, v, 'channel=kiosk')).amount).toBe(25000);
    expect((await api.patch(`/api/v1/price-books/${book}`, { name: 'x' })).body.error.code).toBe('PRICE_BOOK_ARCHIVED');
    expect((await api.get('/api/v1/price-books?page_size=100')).body.items.map((x: { id: string }) => x.id)).not.toContain(book);
    expect((await api.get('/api/v1/price-books?page_size=100&include_archived=true')).body.items.map((x: { id: string }) => x.id)).toContain(book);
  });
});

describe('price book validation', () => {
  it.each([
    [{ name: 'x', starts_at: '2024-06-01T00:00:00Z', ends_at: '2024-05-01T00:00:00Z' }, ['ends_at']],
    [{ name: 'x', hours_start: '16:00' }, ['hours_end']],
    [{ name: 'x', hours_end: '18:00' }, ['hours_start']],
    [{ name: 'x', hours_start: '16:00', hours_end: '16:00' }, ['hours_end']],
    [{ name: 'x', hours_start: '24:00', hours_end: '25:00' }, ['hours_start', 'hours_end']],
    [{ name: 'x', days_of_week: ['mon', 'funday'] }, ['days_of_week.1']],
    [{ name: 'x', days_of_week: ['mon', 'tue', 'mon'] }, ['days_of_week.2']],
    [{ name: 'x', days_of_week: [] }, ['days_of_week']],
    [{ name: 'x', channel: 'drive_thru' }, ['channel']],
    [{ name: '', priority: 1.5 }, ['name', 'priority']],
    [{ name: 'x', starts_at: 'tomorrow' }, ['starts_at']],
    [{ name: 'x', is_default: true }, ['']],
  ])('refuses %j naming %j, writing nothing', async (body, fields) => {
    const t = await createTenant(s.app);
    const r = await as(s, t).post('/api/v1/price-books', body);
    expect(r.status).toBe(400);
    expect(fieldsOf(r.body).sort()).toEqual([...fields].sort());
    expect(await countRows(s, t, 'price_books')).toBe(0);
  });

  it('refuses an outlet of another tenant and another currency, naming the field', async () => {
    const r = await api.post('/api/v1/price-books', { name: 'x', outlet_id: b.outletId });
    expect(r.status).toBe(400);
    expect(fieldsOf(r.body)).toEqual(['outlet_id']);
    const cur = await api.post('/api/v1/price-books', { name: 'x', currency: 'USD' });
    expect(cur.status).toBe(400);
    expect(cur.body.error.code).toBe('PRICE_CURRENCY_MISMATCH');
  });

  it('checks an update against the book’s merged conditions', async () => {
    const r = await api.post('/api/v1/price-books', { name: 'Promo', starts_at: '2024-05-01T00:00:00Z', ends_at: '2024-06-01T00:00:00Z' });
    const bad = await api.patch(`/api/v1/price-books/${r.body.id}`, { starts_at: '2024-07-01T00:00:00Z' });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body)).toEqual(['ends_at']);
    const cleared = await api.patch(`/api/v1/price-books/${r.body.id}`, { ends_at: null, starts_at: '2024-07-01T00:00:00Z', priority: 3 });
    expect(cleared.body).toMatchObject({ starts_at: '2024-07-01T00:00:00.000Z', ends_at: null, priority: 3, name: 'Promo' });
  });

  it('keeps the default book unconditional, active and unarchived', async () => {
    const t = await createTenant(s.app);
    const c = as(s, t);
    const { variantIds: [v] } = await productFixture(s, t);
    const def = (await c.put(`/api/v1/variants/${v}/price`, { amount: 1, currency: 'IDR' })).body.price_book_id;
    const cond = await c.patch(`/api/v1/price-books/${def}`, { channel: 'delivery', active: false });
    expect(cond.status).toBe(400);
    expect(fieldsOf(cond.body).sort()).toEqual(['active', 'channel']);
    const arch = await c.post(`/api/v1/price-books/${def}/archive`);
    expect(arch.status).toBe(409);
    expect(arch.body.error.code).toBe('PRICE_BOOK_DEFAULT_LOCKED');
    expect((await c.patch(`/api/v1/price-books/${def}`, { name: 'Standard' })).body).toMatchObject({ name: 'Standard', is_default: true });
  });

  it('hides another tenant’s books: 404 on get, update, archive and prices', async () => {
    const mine = await api.post('/api/v1/price-books', { name: 'Secret' });
    const other = as(s, b);
    for (const r of [
      await other.get(`/api/v1/price-books/${mine.body.id}`),
      await other.patch(`/api/v1/price-books/${mine.body.id}`, { name: 'Hijacked' }),
      await other.post(`/api/v1/price-books/${mine.body.id}/archive`),
      await other.get(`/api/v1/price-books/${mine.body.id}/prices`),
      await other.patch(`/api/v1/price-books/${mine.body.id}/prices`, { remove: [mine.body.id] }),
    ]) {
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('PRICE_BOOK_NOT_FOUND');
    }
    expect((await api.get(`/api/v1/price-books/${mine.body.id}`)).body).toMatchObject({ name: 'Secret', archived_at: null });
  });
});

describe('setting and removing many prices in a book', () => {
  it('sets and removes in one call, records one price.changed and tombstones removals for the feed', async () => {
    const t = await createTenant(s.app);
    const c = as(s, t);
    const { variantIds: [x, y, z] } = await productFixture(s, t, ['X', 'Y', 'Z']);
    const book = (await c.post('/api/v1/price-books', { name: 'Bar', channel: 'bar_tab' })).body.id;
    const first = await c.patch(`/api/v1/price-books/${book}/prices`, { set: [{ variant_id: x, amount: 100 }, { variant_id: y, amount: '200' }] });
    expect(first.body.set.map((p: { amount: number }) => p.amount)).toEqual([100, 200]);
    const second = await c.patch(`/api/v1/price-books/${book}/prices`, { set: [{ variant_id: z, amount: 300 }], remove: [x, z === x ? y : x] });
    expect(second.body.removed).toEqual([x]);
    const page = await c.get(`/api/v1/price-books/${book}/prices?page_size=1`);
    expect(page.body.items).toHaveLength(1);
    const rest = await c.get(`/api/v1/price-books/${book}/prices?page_token=${page.body.next_page_token}`);
    expect([...page.body.items, ...rest.body.items].map((p: { variant_id: string }) => p.variant_id).sort()).toEqual([y, z].sort());
    const events = await priceEvents(s, t);
    expect(events[1]!.payload.changes).toEqual([
      { variant_id: z, amount: 300, previous_amount: null },
      { variant_id: x, amount: null, previous_amount: 100 },
    ]);
    const tombstones = await query<{ entity_type: string; entity_id: string }>(s, t, sql`SELECT entity_type, entity_id FROM catalog_tombstones`);
    expect(tombstones).toEqual([{ entity_type: 'variant_prices', entity_id: x }]);
  });

  it('refuses the whole call when one entry is bad, naming it', async () => {
    const t = await createTenant(s.app);
    const c = as(s, t);
    const { variantIds: [x] } = await productFixture(s, t);
    const { variantIds: [foreign] } = await productFixture(s, b);
    const book = (await c.post('/api/v1/price-books', { name: 'Online', channel: 'online' })).body.id;
    const unknown = await c.patch(`/api/v1/price-books/${book}/prices`, { set: [{ variant_id: x, amount: 1 }, { variant_id: foreign, amount: 2 }] });
    expect(unknown.status).toBe(400);
    expect(fieldsOf(unknown.body)).toEqual(['set.1.variant_id']);
    const negative = await c.patch(`/api/v1/price-books/${book}/prices`, { set: [{ variant_id: x, amount: 1 }, { variant_id: x, amount: -2 }] });
    expect(fieldsOf(negative.body)).toEqual(['set.1.amount']);
    const twice = await c.patch(`/api/v1/price-books/${book}/prices`, { set: [{ variant_id: x, amount: 1 }, { variant_id: x, amount: 2 }], remove: [x] });
    expect(fieldsOf(twice.body)).toEqual(['set.1.variant_id', 'remove.0']);
    const empty = await c.patch(`/api/v1/price-books/${book}/prices`, {});
    expect(fieldsOf(empty.body)).toEqual(['set']);
    expect(await countRows(s, t, 'prices')).toBe(0);
  });
});
