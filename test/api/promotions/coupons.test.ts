import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src/platform/ids.js';
import { as, createTenant, pricedProduct, query, salesRows, startSalesServer, type Client, type TestServer } from '../sales/support.js';

let s: TestServer;
beforeAll(async () => {
  s = await startSalesServer();
});
afterAll(() => s.stop());

async function shop() {
  const t = await createTenant(s.app);
  const api = as(s, t);
  const p = await pricedProduct(api, 1_000_000);
  const promo = await api.post('/api/v1/promotions', { name: 'Welcome 20%', kind: 'percentage', rate_bp: 2000, coupon_only: true });
  expect(promo.status).toBe(201);
  return { t, api, p, promotionId: promo.body.id as string };
}

const coupon = async (api: Client, body: Record<string, unknown>) => {
  const r = await api.post('/api/v1/coupons', body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; code: string };
};

const sale = (p: { variantId: string }, codes: string[], extra: Record<string, unknown> = {}) => ({
  items: [{ variant_id: p.variantId }],
  tenders: [{ tender_type: 'CASH', amount: 1_000_000 }],
  coupon_codes: codes,
  ...extra,
});

describe('coupons', () => {
  it('a coupon-only promotion applies with its code, matched case-insensitively, named with the promotion', async () => {
    const { api, p, promotionId } = await shop();
    const c = await coupon(api, { promotion_id: promotionId, code: 'welcome10' });
    expect(c.code).toBe('WELCOME10');
    expect((await api.post('/api/v1/orders/calculate', { items: [{ variant_id: p.variantId }] })).body.discount_total).toBe(0);
    const calc = await api.post('/api/v1/orders/calculate', { items: [{ variant_id: p.variantId }], coupon_codes: ['Welcome10'] });
    expect(calc.body.discount_total).toBe(200_000);
    expect(calc.body.lines[0].promotions).toEqual([{ promotion_id: promotionId, name: 'Welcome 20%', amount: 200_000 }]);
    const dup = await api.post('/api/v1/coupons', { promotion_id: promotionId, code: 'WELCOME10' });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'COUPON_CODE_TAKEN', details: { field: 'code' } });
  });

  it('expired, exhausted, unknown, other-outlet and first-order coupons are refused naming the field, nothing written', async () => {
    const { t, api, p, promotionId } = await shop();
    await coupon(api, { promotion_id: promotionId, code: 'OLD-ONE', expires_at: '2020-01-01T00:00:00Z' });
    await coupon(api, { promotion_id: promotionId, code: 'FIRST', first_order_only: true });
    const outlet = await api.post('/api/v1/outlets', { code: `O${uuidv7().slice(-5)}`, name: 'Airport' });
    expect(outlet.status).toBe(201);
    const elsewhere = await api.post('/api/v1/promotions', { name: 'Airport only', kind: 'fixed_amount', amount: 1_000, coupon_only: true, outlet_ids: [outlet.body.id] });
    await coupon(api, { promotion_id: elsewhere.body.id, code: 'AIRPORT' });
    const used = await coupon(api, { promotion_id: promotionId, code: 'ONCE', max_redemptions: 1 });
    expect((await api.post('/api/v1/checkout', sale(p, ['ONCE'], { tenders: [{ tender_type: 'CASH', amount: 800_000 }] }))).status).toBe(201);
    expect((await api.get(`/api/v1/coupons/${used.id}`)).body.redemptions).toBe(1);

    const before = await salesRows(s, t);
    const customer = uuidv7();
    await api.post('/api/v1/checkout', sale(p, [], { customer_id: customer })); // the customer's first order
    const afterFirst = await salesRows(s, t);
    const cases: [string[], Record<string, unknown>, string, string][] = [
      [['OLD-ONE'], {}, 'COUPON_EXPIRED', 'coupon_codes.0'],
      [['ONCE'], {}, 'COUPON_EXHAUSTED', 'coupon_codes.0'],
      [['WELCOME', 'NOPE'], {}, 'COUPON_UNKNOWN', 'coupon_codes.0'],
      [['AIRPORT'], {}, 'COUPON_WRONG_OUTLET', 'coupon_codes.0'],
      [['FIRST'], {}, 'COUPON_NEEDS_CUSTOMER', 'coupon_codes.0'],
      [['FIRST'], { customer_id: customer }, 'COUPON_FIRST_ORDER_ONLY', 'coupon_codes.0'],
    ];
    for (const [codes, extra, code, field] of cases) {
      const r = await api.post('/api/v1/checkout', sale(p, codes, extra));
      expect(r.status, code).toBeGreaterThanOrEqual(400);
      expect(r.status, code).toBeLessThan(500);
      expect(r.body.error, code).toMatchObject({ code, details: { field } });
      const calc = await api.post('/api/v1/orders/calculate', { items: [{ variant_id: p.variantId }], coupon_codes: codes, ...extra });
      expect(calc.body.error?.code, code).toBe(code);
    }
    expect(await salesRows(s, t)).toEqual(afterFirst);
    expect(afterFirst.orders).toBe(before.orders! + 1);
    const redemptions = await query<{ n: string | number }>(s, t, sql`SELECT count(*) AS n FROM coupon_redemptions`);
    expect(Number(redemptions[0]!.n)).toBe(1);
    // A new customer may use the first-order coupon.
    expect((await api.post('/api/v1/checkout', sale(p, ['FIRST'], { customer_id: uuidv7(), tenders: [{ tender_type: 'CASH', amount: 800_000 }] }))).status).toBe(201);
  });

  it('is reserved at finalize, confirmed at completion, released on void', async () => {
    const { t, api, p, promotionId } = await shop();
    const c = await coupon(api, { promotion_id: promotionId, code: 'LIFECYCLE', max_redemptions: 1, per_customer_limit: 1 });
    const status = async (orderId: string) => (await query<{ status: string }>(s, t, sql`SELECT status FROM coupon_redemptions WHERE order_id = ${orderId}`))[0]?.status;

    // The code given when the DRAFT is created is applied when it is finalized.
    const customer = uuidv7();
    const o = await api.post('/api/v1/orders', { items: [{ variant_id: p.variantId }], coupon_codes: ['lifecycle'], customer_id: customer });
    expect(o.status, JSON.stringify(o.body)).toBe(201);
    const f = await api.post(`/api/v1/orders/${o.body.id}/finalize`, {});
    expect(f.body.total).toBe(800_000);
    expect(await status(o.body.id)).toBe('RESERVED');
    expect((await api.get(`/api/v1/coupons/${c.id}`)).body.redemptions).toBe(1);
    const o2 = await api.post('/api/v1/orders', { items: [{ variant_id: p.variantId }], customer_id: uuidv7() });
    const refused = await api.post(`/api/v1/orders/${o2.body.id}/finalize`, { coupon_codes: ['LIFECYCLE'] });
    expect(refused.body.error).toMatchObject({ code: 'COUPON_EXHAUSTED', details: { field: 'coupon_codes.0' } });
    expect((await api.get(`/api/v1/orders/${o2.body.id}`)).body.status).toBe('DRAFT');

    await api.post(`/api/v1/orders/${o.body.id}/void`, { reason: 'changed mind' });
    expect(await status(o.body.id)).toBe('RELEASED');
    expect((await api.get(`/api/v1/coupons/${c.id}`)).body.redemptions).toBe(0);

    const again = await api.post(`/api/v1/orders/${o2.body.id}/finalize`, { coupon_codes: ['LIFECYCLE'] });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.total).toBe(800_000);
    await api.post(`/api/v1/orders/${o2.body.id}/payments`, { tender_type: 'CASH', amount: 800_000 });
    expect((await api.post(`/api/v1/orders/${o2.body.id}/complete`)).status).toBe(200);
    expect(await status(o2.body.id)).toBe('CONFIRMED');
  });

  it('bulk generation makes unique codes for one promotion', async () => {
    const { api, p, promotionId } = await shop();
    const r = await api.post('/api/v1/coupons/generate', { promotion_id: promotionId, count: 300, prefix: 'xmas', max_redemptions: 1 });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.count).toBe(300);
    expect(new Set(r.body.codes).size).toBe(300);
    expect(r.body.codes.every((c: string) => /^XMAS[A-Z2-9]{8}$/.test(c))).toBe(true);
    const calc = await api.post('/api/v1/orders/calculate', { items: [{ variant_id: p.variantId }], coupon_codes: [r.body.codes[7].toLowerCase()] });
    expect(calc.body.discount_total).toBe(200_000);
    const check = await api.post('/api/v1/coupons/validate', { code: r.body.codes[0] });
    expect(check.body).toMatchObject({ valid: true, reason: null });
    const bad = await api.post('/api/v1/coupons/generate', { promotion_id: uuidv7(), count: 1 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error.details)).toContain('promotion_id');
  });

  it('two registers redeeming the last use at once: exactly one succeeds', async () => {
    const { t, api, p, promotionId } = await shop();
    const c = await coupon(api, { promotion_id: promotionId, code: 'LAST-ONE', max_redemptions: 1 });
    const pay = { tenders: [{ tender_type: 'CASH', amount: 800_000 }] };
    const results = await Promise.all([1, 2, 3, 4].map(() => api.post('/api/v1/checkout', sale(p, ['LAST-ONE'], pay))));
    const ok = results.filter((r) => r.status === 201);
    expect(ok).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) expect(r.body.error).toMatchObject({ code: 'COUPON_EXHAUSTED', details: { field: 'coupon_codes.0' } });
    expect((await api.get(`/api/v1/coupons/${c.id}`)).body.redemptions).toBe(1);
    const rows = await query<{ n: string | number }>(s, t, sql`SELECT count(*) AS n FROM coupon_redemptions WHERE coupon_id = ${c.id}`);
    expect(Number(rows[0]!.n)).toBe(1);

    // Finalizing two open DRAFTs with the last use of another code at once.
    const c2 = await coupon(api, { promotion_id: promotionId, code: 'LAST-TWO', max_redemptions: 1 });
    const drafts = await Promise.all([1, 2].map(() => api.post('/api/v1/orders', { items: [{ variant_id: p.variantId }] })));
    const fin = await Promise.all(drafts.map((d) => api.post(`/api/v1/orders/${d.body.id}/finalize`, { coupon_codes: ['last-two'] })));
    expect(fin.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await api.get(`/api/v1/coupons/${c2.id}`)).body.redemptions).toBe(1);
  });
});
