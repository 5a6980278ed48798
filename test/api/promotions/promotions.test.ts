import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTenant, pricedProduct, query, startSalesServer, type Client, type TestServer, type TestTenant } from '../sales/support.js';

let s: TestServer;
let t: TestTenant;
let api: Client;
let coffee: { productId: string; variantId: string };
let croissant: { productId: string; variantId: string };
let pastryCategory: string;

beforeAll(async () => {
  s = await startSalesServer();
  t = await createTenant(s.app);
  api = as(s, t);
  const cat = await api.post('/api/v1/categories', { name: 'Pastry' });
  pastryCategory = cat.body.id;
  coffee = await pricedProduct(api, 3_000_000);
  croissant = await pricedProduct(api, 2_000_000, { category_id: pastryCategory });
});
afterAll(() => s.stop());

const promotion = async (body: Record<string, unknown>, c: Client = api) => {
  const r = await c.post('/api/v1/promotions', body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; name: string };
};

describe('promotions: validation', () => {
  it('refuses bad promotions naming the field, and writes nothing', async () => {
    const before = await query<{ n: string | number }>(s, t, sql`SELECT count(*) AS n FROM promotions`);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'x', kind: 'percentage', rate_bp: 12_000 }, 'rate_bp'],
      [{ name: 'x', kind: 'percentage', rate_bp: -1 }, 'rate_bp'],
      [{ name: 'x', kind: 'percentage' }, 'rate_bp'],
      [{ name: 'x', kind: 'fixed_amount' }, 'amount'],
      [{ name: 'x', kind: 'percentage', rate_bp: 100, starts_at: '2026-05-02T00:00:00Z', ends_at: '2026-05-01T00:00:00Z' }, 'ends_at'],
      [{ name: 'x', kind: 'buy_x_get_y', buy_quantity: 1 }, 'get_quantity'],
      [{ name: 'x', kind: 'bundle_price', amount: 100 }, 'bundle'],
      [{ name: 'x', kind: 'order_discount', rate_bp: 100, amount: 5 }, 'amount'],
      [{ name: 'x', kind: 'percentage', rate_bp: 100, start_time: '07:00' }, 'end_time'],
      [{ name: 'x', kind: 'percentage', rate_bp: 100, channels: ['telepathy'] }, 'channels.0'],
      [{ name: 'x', kind: 'percentage', rate_bp: 100, outlet_ids: ['0190f5c4-0000-7000-8000-000000000000'] }, 'outlet_ids.0'],
    ];
    for (const [body, field] of cases) {
      const r = await api.post('/api/v1/promotions', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(r.body.error.details), JSON.stringify(body)).toContain(`"${field}"`);
    }
    const after = await query<{ n: string | number }>(s, t, sql`SELECT count(*) AS n FROM promotions`);
    expect(after[0]!.n).toEqual(before[0]!.n);
  });

  it('creates, reads, lists and changes a promotion; a change is validated as a whole', async () => {
    const p = await promotion({ name: 'Morning pastry', kind: 'percentage', rate_bp: 1000, scope: { category_ids: [pastryCategory] }, start_time: '06:00', end_time: '09:00', days_of_week: ['mon', 'tue'] });
    const got = await api.get(`/api/v1/promotions/${p.id}`);
    expect(got.body).toMatchObject({ name: 'Morning pastry', kind: 'percentage', rate_bp: 1000, start_time: '06:00', end_time: '09:00', days_of_week: ['mon', 'tue'], scope: { category_ids: [pastryCategory] } });
    const bad = await api.patch(`/api/v1/promotions/${p.id}`, { rate_bp: null });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error.details)).toContain('rate_bp');
    const changed = await api.patch(`/api/v1/promotions/${p.id}`, { rate_bp: 1500, active: false });
    expect(changed.body).toMatchObject({ rate_bp: 1500, active: false });
    const list = await api.get('/api/v1/promotions?active=false');
    expect(list.body.items.map((x: { id: string }) => x.id)).toContain(p.id);
    expect((await api.get('/api/v1/promotions/0190f5c4-0000-7000-8000-000000000000')).status).toBe(404);
    const events = await query<{ type: string }>(s, t, sql`SELECT type FROM outbox_events WHERE aggregate_id = ${p.id} ORDER BY id`);
    expect(events.map((e) => e.type)).toEqual(['promotion.created', 'promotion.updated']);
  });
});

describe('promotions in a sale', () => {
  it('calculate and finalize apply the best promotion, named on the line, the order and the receipt', async () => {
    const t2 = await createTenant(s.app);
    const a = as(s, t2);
    const cat = (await a.post('/api/v1/categories', { name: 'Pastry' })).body.id as string;
    const c = await pricedProduct(a, 3_000_000);
    const pastry = await pricedProduct(a, 2_000_000, { category_id: cat });
    const half = await promotion({ name: 'Pastry half price', kind: 'percentage', rate_bp: 5000, scope: { category_ids: [cat] } }, a);
    await promotion({ name: 'Coffee 5k off', kind: 'fixed_amount', amount: 500_000, scope: { product_ids: [c.productId] } }, a);
    const body = { items: [{ variant_id: c.variantId, quantity: 2 }, { variant_id: pastry.variantId, quantity: 1 }] };
    const calc = await a.post('/api/v1/orders/calculate', body);
    expect(calc.status, JSON.stringify(calc.body)).toBe(200);
    expect(calc.body.lines[0].promotions).toEqual([{ promotion_id: expect.any(String), name: 'Coffee 5k off', amount: 1_000_000 }]);
    expect(calc.body.lines[1].promotions).toEqual([{ promotion_id: half.id, name: 'Pastry half price', amount: 1_000_000 }]);
    expect(calc.body.discount_total).toBe(2_000_000);

    const o = await a.post('/api/v1/orders', body);
    expect(o.body.discount_total).toBe(0); // a DRAFT carries no promotions until it is finalized
    const f = await a.post(`/api/v1/orders/${o.body.id}/finalize`, {});
    expect(f.status, JSON.stringify(f.body)).toBe(200);
    expect(f.body.discount_total).toBe(2_000_000);
    expect(f.body.total).toBe(calc.body.total);
    expect(f.body.items[1].promotions).toEqual([{ promotion_id: half.id, name: 'Pastry half price', amount: 1_000_000 }]);
    const rows = await query<{ name: string; amount: string | number }>(s, t2, sql`SELECT name, amount FROM order_item_promotions WHERE order_id = ${o.body.id} ORDER BY name`);
    expect(rows.map((r) => [r.name, Number(r.amount)])).toEqual([['Coffee 5k off', 1_000_000], ['Pastry half price', 1_000_000]]);

    await a.post(`/api/v1/orders/${o.body.id}/payments`, { tender_type: 'CASH', amount: f.body.total });
    expect((await a.post(`/api/v1/orders/${o.body.id}/complete`)).status).toBe(200);
    const receipt = await a.get(`/api/v1/orders/${o.body.id}/receipt?format=text`);
    expect(receipt.status).toBe(200);
    expect(typeof receipt.body === 'string' ? receipt.body : JSON.stringify(receipt.body)).toContain('Pastry half price');
  });

  it('checkout applies promotions too, and a tenant without promotions pays full price', async () => {
    const t2 = await createTenant(s.app);
    const a = as(s, t2);
    const p = await pricedProduct(a, 1_000_000);
    const full = await a.post('/api/v1/checkout', { items: [{ variant_id: p.variantId, quantity: 2 }], tenders: [{ tender_type: 'CASH', amount: 2_000_000 }] });
    expect(full.status, JSON.stringify(full.body)).toBe(201);
    expect(full.body.total).toBe(2_000_000);
    await promotion({ name: 'BOGO', kind: 'buy_x_get_y', buy_quantity: 1, get_quantity: 1 }, a);
    const promo = await a.post('/api/v1/checkout', { items: [{ variant_id: p.variantId, quantity: 2 }], tenders: [{ tender_type: 'CASH', amount: 1_000_000 }] });
    expect(promo.status, JSON.stringify(promo.body)).toBe(201);
    expect(promo.body.total).toBe(1_000_000);
    expect(promo.body.items[0].promotions).toMatchObject([{ name: 'BOGO', amount: 1_000_000 }]);
  });

  it('an exclusive promotion is never combined; a lower one that is worth more wins', async () => {
    const t2 = await createTenant(s.app);
    const a = as(s, t2);
    const p = await pricedProduct(a, 1_000_000);
    await promotion({ name: 'Ten', kind: 'percentage', rate_bp: 1000, priority: 5 }, a);
    await promotion({ name: 'Twenty', kind: 'percentage', rate_bp: 2000 }, a);
    await promotion({ name: 'Staff', kind: 'percentage', rate_bp: 4000, exclusive: true }, a);
    const calc = await a.post('/api/v1/orders/calculate', { items: [{ variant_id: p.variantId }] });
    expect(calc.body.lines[0].promotions.map((x: { name: string }) => x.name)).toEqual(['Staff']);
    expect(calc.body.discount_total).toBe(400_000);
  });

  it('honours channel, order type, outlet and time window', async () => {
    const t2 = await createTenant(s.app);
    const a = as(s, t2);
    const p = await pricedProduct(a, 1_000_000);
    await promotion({ name: 'Kiosk only', kind: 'percentage', rate_bp: 1000, channels: ['kiosk'], order_types: ['dine_in'] }, a);
    const items = [{ variant_id: p.variantId }];
    expect((await a.post('/api/v1/orders/calculate', { items })).body.discount_total).toBe(0);
    expect((await a.post('/api/v1/orders/calculate', { items, channel: 'kiosk' })).body.discount_total).toBe(0);
    expect((await a.post('/api/v1/orders/calculate', { items, channel: 'kiosk', order_type: 'dine_in' })).body.discount_total).toBe(100_000);
    await promotion({ name: 'Ended', kind: 'percentage', rate_bp: 5000, ends_at: '2020-01-01T00:00:00Z' }, a);
    expect((await a.post('/api/v1/orders/calculate', { items })).body.discount_total).toBe(0);
  });

  it('a promotion with a usage limit stops applying when its uses are taken, and a void gives the use back', async () => {
    const t2 = await createTenant(s.app);
    const a = as(s, t2);
    const p = await pricedProduct(a, 1_000_000);
    const promo = await promotion({ name: 'First one', kind: 'fixed_amount', amount: 100_000, usage_limit: 1 }, a);
    const o1 = await a.post('/api/v1/orders', { items: [{ variant_id: p.variantId }] });
    const f1 = await a.post(`/api/v1/orders/${o1.body.id}/finalize`, {});
    expect(f1.body.discount_total).toBe(100_000);
    expect((await a.get(`/api/v1/promotions/${promo.id}`)).body.usage_count).toBe(1);
    const calc = await a.post('/api/v1/orders/calculate', { items: [{ variant_id: p.variantId }] });
    expect(calc.body.discount_total).toBe(0);
    await a.post(`/api/v1/orders/${o1.body.id}/void`, { reason: 'customer left' });
    expect((await a.get(`/api/v1/promotions/${promo.id}`)).body.usage_count).toBe(0);
    expect((await a.post('/api/v1/orders/calculate', { items: [{ variant_id: p.variantId }] })).body.discount_total).toBe(100_000);
  });
});

export { coffee, croissant };
