import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/server.js';
import { as, countRows, createTenant, fieldsOf, priceEvents, productFixture, startPricingServer, type Client, type TestServer, type TestTenant } from './support.js';

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

describe('SetPrice', () => {
  it('takes the seed’s exact body, creating the default price book in the tenant’s currency on first use', async () => {
    const { variantIds: [v] } = await productFixture(s, a);
    const r = await api.post('/api/v1/prices', { variant_id: v, amount: '2500000', currency: 'IDR' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ variant_id: v, amount: 2500000, currency: 'IDR', is_default: true, price_book_name: 'Default', outlet_id: null });
    const books = await api.get('/api/v1/price-books');
    expect(books.body.items).toEqual([expect.objectContaining({ id: r.body.price_book_id, is_default: true, currency: 'IDR', priority: 0, channel: null, hours_start: null })]);
  });

  it('sets the price with PUT /variants/{id}/price, replacing the previous one in the same default book', async () => {
    const { variantIds: [v] } = await productFixture(s, a);
    const first = await api.put(`/api/v1/variants/${v}/price`, { amount: 1800000, currency: 'IDR' });
    expect(first.status).toBe(200);
    const second = await api.put(`/api/v1/variants/${v}/price`, { amount: '2000000', currency: 'IDR' });
    expect(second.body).toMatchObject({ amount: 2000000, price_book_id: first.body.price_book_id });
    const all = await api.get(`/api/v1/variants/${v}/prices`);
    expect(all.body.prices).toEqual([expect.objectContaining({ amount: 2000000, is_default: true, book_active: true, book_archived: false })]);
    const resolved = await api.get(`/api/v1/variants/${v}/price`);
    expect(resolved.body).toMatchObject({ amount: 2000000, currency: 'IDR', price_book_id: first.body.price_book_id });
  });

  it('records price.changed with the previous amount, and nothing when the price did not change', async () => {
    const t = await createTenant(s.app);
    const c = as(s, t);
    const { variantIds: [v] } = await productFixture(s, t);
    await c.put(`/api/v1/variants/${v}/price`, { amount: 1000, currency: 'IDR' });
    await c.put(`/api/v1/variants/${v}/price`, { amount: 1200, currency: 'IDR' });
    await c.put(`/api/v1/variants/${v}/price`, { amount: 1200, currency: 'IDR' });
    const events = await priceEvents(s, t);
    expect(events.map((e) => e.payload.changes)).toEqual([
      [{ variant_id: v, amount: 1000, previous_amount: null }],
      [{ variant_id: v, amount: 1200, previous_amount: 1000 }],
    ]);
    expect(events[0]!.payload).toMatchObject({ is_default: true, currency: 'IDR' });
  });

  it('refuses another currency with 400 PRICE_CURRENCY_MISMATCH naming currency, writing nothing', async () => {
    const t = await createTenant(s.app);
    const { variantIds: [v] } = await productFixture(s, t);
    const r = await as(s, t).post('/api/v1/prices', { variant_id: v, amount: 100, currency: 'USD' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('PRICE_CURRENCY_MISMATCH');
    expect(r.body.error.details).toMatchObject({ field: 'currency', expected: 'IDR', given: 'USD' });
    expect(fieldsOf(r.body)).toEqual(['currency']);
    expect(await countRows(s, t, 'price_books')).toBe(0);
    expect(await countRows(s, t, 'prices')).toBe(0);
  });

  it.each([
    ['a negative amount', -1, 'must not be negative'],
    ['a negative string', '-500', 'must not be negative'],
    ['a fraction', 2500.5, 'not a fraction'],
    ['a decimal string', '2500.50', 'must be an integer'],
    ['an exponent string', '1e6', 'must be an integer'],
    ['an unsafe integer', 2 ** 53 + 2, 'at most 9007199254740991'],
    ['an unsafe string', '9223372036854775807', 'at most 9007199254740991'],
    ['a boolean', true, 'must be an integer amount'],
    ['nothing', undefined, ''],
  ])('refuses %s with 400 naming amount, writing nothing', async (_, amount, message) => {
    const { variantIds: [v] } = await productFixture(s, b);
    const r = await as(s, b).put(`/api/v1/variants/${v}/price`, { amount, currency: 'IDR' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(r.body)).toEqual(['amount']);
    expect(r.body.error.details.fields[0].message).toContain(message);
    expect((await as(s, b).get(`/api/v1/variants/${v}/prices`)).body.prices).toEqual([]);
  });

  it('accepts zero and the largest safe amount', async () => {
    const { variantIds: [v, w] } = await productFixture(s, a, ['Free', 'Huge']);
    expect((await api.put(`/api/v1/variants/${v}/price`, { amount: 0, currency: 'IDR' })).body.amount).toBe(0);
    expect((await api.put(`/api/v1/variants/${w}/price`, { amount: '9007199254740991', currency: 'IDR' })).body.amount).toBe(9007199254740991);
  });

  it('names every bad field at once, and refuses unknown fields', async () => {
    const r = await api.post('/api/v1/prices', { variant_id: 'nope', amount: 'x', currency: 'idr', surprise: 1 });
    expect(r.status).toBe(400);
    expect(fieldsOf(r.body)).toEqual(expect.arrayContaining(['variant_id', 'amount', 'currency']));
  });

  it('answers 404 VARIANT_NOT_FOUND for a variant the tenant does not have, including another tenant’s', async () => {
    const { variantIds: [theirs] } = await productFixture(s, b);
    const r = await api.put(`/api/v1/variants/${theirs}/price`, { amount: 100, currency: 'IDR' });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('VARIANT_NOT_FOUND');
    expect((await api.get(`/api/v1/variants/${theirs}/price`)).status).toBe(404);
    expect((await api.get(`/api/v1/variants/${theirs}/prices`)).status).toBe(404);
    expect((await as(s, b).get(`/api/v1/variants/${theirs}/prices`)).body.prices).toEqual([]);
  });

  it('writes an outlet’s price into that outlet’s book, which wins only at that outlet', async () => {
    const { variantIds: [v] } = await productFixture(s, a);
    await api.put(`/api/v1/variants/${v}/price`, { amount: 25000, currency: 'IDR' });
    const r = await api.put(`/api/v1/variants/${v}/price`, { amount: 30000, currency: 'IDR', outlet_id: a.outletId });
    expect(r.body).toMatchObject({ is_default: false, outlet_id: a.outletId, amount: 30000 });
    const again = await api.post('/api/v1/prices', { variant_id: v, amount: 31000, currency: 'IDR', outlet_id: a.outletId });
    expect(again.body.price_book_id).toBe(r.body.price_book_id);
    expect((await api.get(`/api/v1/variants/${v}/price`)).body.amount).toBe(25000);
    const there = await api.get(`/api/v1/variants/${v}/price?outlet_id=${a.outletId}`);
    expect(there.body).toMatchObject({ amount: 31000, price_book_id: r.body.price_book_id });
    expect(there.body.reason.matched).toEqual([expect.objectContaining({ condition: 'outlet', matched: true })]);
    const bad = await api.put(`/api/v1/variants/${v}/price`, { amount: 1, currency: 'IDR', outlet_id: b.outletId });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body)).toEqual(['outlet_id']);
  });
});

describe('resolving prices', () => {
  it('answers PRICE_NOT_FOUND naming the variant when no book has a price', async () => {
    const { variantIds: [v] } = await productFixture(s, a);
    const r = await api.get(`/api/v1/variants/${v}/price`);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('PRICE_NOT_FOUND');
    expect(r.body.error.details.variant_id).toBe(v);
    expect(r.body.error.message).toContain(v);
  });

  it('explains PRICE_NOT_FOUND when books have a price but none applies', async () => {
    const { variantIds: [v] } = await productFixture(s, a);
    const book = await api.post('/api/v1/price-books', { name: 'Delivery only', channel: 'delivery' });
    await api.patch(`/api/v1/price-books/${book.body.id}/prices`, { set: [{ variant_id: v, amount: 9000 }] });
    const r = await api.get(`/api/v1/variants/${v}/price?channel=takeaway`);
    expect(r.status).toBe(404);
    expect(r.body.error.details.candidates).toEqual([expect.objectContaining({ price_book_name: 'Delivery only', outcome: 'not_matching', detail: 'channel takeaway is not delivery' })]);
    expect((await api.get(`/api/v1/variants/${v}/price?channel=delivery`)).body.amount).toBe(9000);
  });

  it('refuses a bad query naming each field', async () => {
    const { variantIds: [v] } = await productFixture(s, a);
    const r = await api.get(`/api/v1/variants/${v}/price?channel=drive_thru&at=yesterday&outlet_id=x`);
    expect(r.status).toBe(400);
    expect(fieldsOf(r.body).sort()).toEqual(['query.at', 'query.channel', 'query.outlet_id']);
    const unknownOutlet = await api.get(`/api/v1/variants/${v}/price?outlet_id=${b.outletId}`);
    expect(unknownOutlet.status).toBe(400);
    expect(fieldsOf(unknownOutlet.body)).toEqual(['outlet_id']);
  });

  it('resolves a page of variants in one call, null where no price applies', async () => {
    const { variantIds } = await productFixture(s, a, ['S', 'M', 'L']);
    await api.put(`/api/v1/variants/${variantIds[0]}/price`, { amount: 100, currency: 'IDR' });
    await api.put(`/api/v1/variants/${variantIds[1]}/price`, { amount: 200, currency: 'IDR' });
    const r = await api.post('/api/v1/prices/resolve', { variant_ids: variantIds, outlet_id: a.outletId, channel: 'dine_in' });
    expect(r.status).toBe(200);
    expect(r.body.items.map((i: { variant_id: string; price: { amount: number } | null }) => [i.variant_id, i.price?.amount ?? null])).toEqual([
      [variantIds[0], 100],
      [variantIds[1], 200],
      [variantIds[2], null],
    ]);
    const tooMany = await api.post('/api/v1/prices/resolve', { variant_ids: Array.from({ length: 101 }, () => variantIds[0]) });
    expect(tooMany.status).toBe(400);
    expect(fieldsOf(tooMany.body)).toEqual(['variant_ids']);
  });

  it('does not resolve another tenant’s prices', async () => {
    const { variantIds: [theirs] } = await productFixture(s, b);
    await as(s, b).put(`/api/v1/variants/${theirs}/price`, { amount: 100, currency: 'IDR' });
    const r = await api.post('/api/v1/prices/resolve', { variant_ids: [theirs] });
    expect(r.body.items).toEqual([{ variant_id: theirs, price: null }]);
  });
});

describe('idempotency', () => {
  it('replays a PUT with the same Idempotency-Key and refuses the key with another body', async () => {
    const t = await createTenant(s.app);
    const { variantIds: [v] } = await productFixture(s, t);
    const put = (amount: number) => call(s.baseUrl, 'PUT', `/api/v1/variants/${v}/price`, { headers: { ...t.devHeaders, 'idempotency-key': 'price-1' }, body: { amount, currency: 'IDR' } });
    const first = await put(700);
    const again = await put(700);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await priceEvents(s, t)).length).toBe(1);
    expect((await put(800)).status).toBe(422);
  });
});

describe('permissions', () => {
  it('lets a read-only key resolve prices and refuses it writes with 403, writing nothing', async () => {
    const { variantIds: [v] } = await productFixture(s, a);
    await api.put(`/api/v1/variants/${v}/price`, { amount: 5000, currency: 'IDR' });
    const key = await api.post('/api/v1/api-keys', { name: 'till', permissions: ['pos:catalog:read'] });
    expect(key.status).toBe(201);
    const headers = { 'x-api-key': key.body.secret as string };
    const read = await call(s.baseUrl, 'GET', `/api/v1/variants/${v}/price`, { headers });
    expect(read.body.amount).toBe(5000);
    for (const [method, path, body] of [
      ['PUT', `/api/v1/variants/${v}/price`, { amount: 1, currency: 'IDR' }],
      ['POST', '/api/v1/price-books', { name: 'x' }],
      ['POST', '/api/v1/modifier-groups', { name: 'x' }],
      ['POST', '/api/v1/tax-rules', { name: 'x', rate_bps: 1 }],
    ] as const) {
      const r = await call(s.baseUrl, method, path, { headers, body });
      expect(r.status, path).toBe(403);
      expect(r.body.error.details.required).toBe('pos:catalog:write');
    }
    expect((await api.get(`/api/v1/variants/${v}/price`)).body.amount).toBe(5000);
  });
});
