import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerFacts, expireAllTenants } from '../../../src/modules/customers/index.js';
import { as, createTenant, inTenant, pricedProduct, query, startSalesServer, type Client, type TestServer, type TestTenant } from '../sales/support.js';

let s: TestServer;
let t: TestTenant;
let api: Client;

beforeAll(async () => {
  s = await startSalesServer();
  t = await createTenant(s.app);
  api = as(s, t);
});
afterAll(() => s.stop());

const rows = async (table: string) => Number((await query<{ n: string }>(s, t, sql`SELECT count(*) AS n FROM ${sql.identifier(table)}`))[0]!.n);

describe('customer profiles', () => {
  it('store the e-mail lower-cased and the phone in E.164, read in the tenant’s country', async () => {
    const c = await api.post('/api/v1/customers', { name: 'Siti Rahma', email: 'Siti.Rahma@Example.COM', phone: '0812-3456-7001', birthday: '1990-04-17', tags: ['vip', 'vip', 'regular'], marketing_consent: true, notes: 'oat milk' });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ name: 'Siti Rahma', email: 'siti.rahma@example.com', phone: '+6281234567001', birthday: '1990-04-17', tags: ['vip', 'regular'], marketing_consent: true, points_balance: 0, orders_count: 0 });
    expect((await api.get(`/api/v1/customers/${c.body.id}`)).body).toEqual(c.body);
  });

  it('refuse a second customer with the same e-mail or phone, naming the field, and write nothing', async () => {
    await api.post('/api/v1/customers', { name: 'Budi', email: 'budi@example.com', phone: '+62 812 3456 7002' });
    const before = await rows('customers');
    const byEmail = await api.post('/api/v1/customers', { name: 'Budi 2', email: 'BUDI@example.com' });
    expect(byEmail.status).toBe(409);
    expect(byEmail.body.error).toMatchObject({ code: 'CUSTOMER_EMAIL_TAKEN', details: { field: 'email' } });
    const byPhone = await api.post('/api/v1/customers', { name: 'Budi 3', phone: '081234567002' });
    expect(byPhone.status).toBe(409);
    expect(byPhone.body.error).toMatchObject({ code: 'CUSTOMER_PHONE_TAKEN', details: { field: 'phone' } });
    const badPhone = await api.post('/api/v1/customers', { name: 'Nobody', phone: '12' });
    expect(badPhone.status).toBe(400);
    expect(badPhone.body.error).toMatchObject({ code: 'CUSTOMER_PHONE_INVALID', details: { field: 'phone' } });
    const badDate = await api.post('/api/v1/customers', { name: 'Nobody', birthday: '2023-02-30' });
    expect(badDate.status).toBe(400);
    expect(await rows('customers')).toBe(before);
  });

  it('are found by name with a typo, by e-mail and by a national phone number', async () => {
    const c = await api.post('/api/v1/customers', { name: 'Wulandari Kusuma', email: 'wulan@kopi.id', phone: '0813 9999 0001' });
    const ids = async (q: string) => (await api.get(`/api/v1/customers?q=${encodeURIComponent(q)}`)).body.items.map((x: { id: string }) => x.id);
    expect(await ids('wulandari')).toContain(c.body.id);
    expect(await ids('wulandar kusma')).toContain(c.body.id);
    expect(await ids('wulan@kopi')).toContain(c.body.id);
    expect(await ids('0813 9999 0001')).toContain(c.body.id);
    expect(await ids('+6281399990001')).toContain(c.body.id);
    expect(await ids('zzzz-nobody')).toEqual([]);
  });

  it('belong to groups, which promotions read through customerFacts', async () => {
    const g = await api.post('/api/v1/customer-groups', { name: 'Staff family' });
    expect(g.status).toBe(201);
    const dup = await api.post('/api/v1/customer-groups', { name: 'staff FAMILY' });
    expect(dup.body.error.code).toBe('CUSTOMER_GROUP_NAME_TAKEN');
    const c = await api.post('/api/v1/customers', { name: 'Grouped', group_ids: [g.body.id] });
    expect(c.body.group_ids).toEqual([g.body.id]);
    const unknown = await api.patch(`/api/v1/customers/${c.body.id}`, { group_ids: [g.body.id, '01900000-0000-7000-8000-000000000001'] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'CUSTOMER_GROUP_NOT_FOUND', details: { field: 'group_ids.1' } });
    expect(await inTenant(s, t, (tx) => customerFacts(tx, c.body.id))).toEqual({ groupIds: [g.body.id], completedOrders: 0 });
    const listed = await api.get(`/api/v1/customers?group_id=${g.body.id}`);
    expect(listed.body.items.map((x: { id: string }) => x.id)).toEqual([c.body.id]);
  });
});

describe('loyalty', () => {
  let latte: { productId: string; variantId: string };
  beforeAll(async () => {
    latte = await pricedProduct(api, 30_000);
    const put = await api.put('/api/v1/loyalty/settings', { loyalty_enabled: true, earn_per_amount: 10_000, earn_points: 1, points_per_visit: 1, point_value: 1_000, tiers: [{ name: 'gold', threshold: 100_000, multiplier_percent: 200 }] });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
  });

  const checkout = async (customerId: string, quantity = 1) => {
    const r = await api.post('/api/v1/checkout', { customer_id: customerId, items: [{ variant_id: latte.variantId, quantity }], tenders: [{ tender_type: 'CASH', amount: 30_000 * quantity }] });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };

  it('earns on completion, counts visits and lifetime value, lists the history, and reverses a refund proportionally', async () => {
    const c = (await api.post('/api/v1/customers', { name: 'Earner' })).body;
    const order = await checkout(c.id, 4); // 120,000: 12 + 1 visit = 13
    let me = (await api.get(`/api/v1/customers/${c.id}`)).body;
    expect(me).toMatchObject({ points_balance: 13, orders_count: 1, lifetime_spend: 120_000, average_order_value: 120_000, tier: 'gold' });
    expect(await inTenant(s, t, (tx) => customerFacts(tx, c.id))).toEqual({ groupIds: [], completedOrders: 1 });
    const history = await api.get(`/api/v1/customers/${c.id}/orders`);
    expect(history.body.items.map((o: { id: string }) => o.id)).toEqual([order.id]);

    // Gold now: the next sale earns double (3 + 1) * 2.
    await checkout(c.id, 1);
    expect((await api.get(`/api/v1/customers/${c.id}`)).body.points_balance).toBe(13 + 8);

    // Refund a quarter of the first order: a quarter of its 13 points (rounded down) goes back: 3.
    const r1 = await api.post(`/api/v1/orders/${order.id}/refunds`, { amount: 30_000, reason: 'one was cold' });
    expect(r1.status, JSON.stringify(r1.body)).toBe(201);
    me = (await api.get(`/api/v1/customers/${c.id}`)).body;
    expect(me).toMatchObject({ points_balance: 21 - 3, lifetime_spend: 150_000 - 30_000 });
    // The rest of it: 13 − 3 = 10 more, so the whole order's points are reversed exactly.
    await api.post(`/api/v1/orders/${order.id}/refunds`, { amount: 90_000, reason: 'all cold' });
    expect((await api.get(`/api/v1/customers/${c.id}`)).body.points_balance).toBe(8);
    const entries = (await api.get(`/api/v1/customers/${c.id}/loyalty-entries?account=points`)).body.items;
    expect(entries.map((e: { kind: string; amount: number }) => [e.kind, e.amount])).toEqual([['earn', 13], ['earn', 8], ['reverse', -3], ['reverse', -10]]);
  });

  it('refuses to redeem more than the balance, with nothing written; partial redemption works and retries do not double-count', async () => {
    const c = (await api.post('/api/v1/customers', { name: 'Redeemer' })).body;
    await api.post(`/api/v1/customers/${c.id}/points/adjust`, { points: 10, reason: 'welcome' });
    const before = await rows('loyalty_entries');
    const tooMuch = await api.post(`/api/v1/customers/${c.id}/points/redeem`, { points: 11 });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error).toMatchObject({ code: 'LOYALTY_INSUFFICIENT_BALANCE', details: { field: 'points', balance: '10', requested: '11' } });
    expect(await rows('loyalty_entries')).toBe(before);
    const part = await api.post(`/api/v1/customers/${c.id}/points/redeem`, { points: 4, idempotency_key: 'redeem-1' });
    expect(part.body).toMatchObject({ value: 4_000, replayed: false, customer: { points_balance: 6 } });
    const again = await api.post(`/api/v1/customers/${c.id}/points/redeem`, { points: 4, idempotency_key: 'redeem-1' });
    expect(again.body).toMatchObject({ replayed: true, customer: { points_balance: 6 } });
    const reused = await api.post(`/api/v1/customers/${c.id}/points/redeem`, { points: 5, idempotency_key: 'redeem-1' });
    expect(reused.body.error.code).toBe('LOYALTY_REFERENCE_REUSED');
    const down = await api.post(`/api/v1/customers/${c.id}/points/adjust`, { points: -7 });
    expect(down.body.error.code).toBe('LOYALTY_INSUFFICIENT_BALANCE');
  });

  it('takes points and store credit as tenders, refuses beyond the balance, and gives them back on a refund', async () => {
    const c = (await api.post('/api/v1/customers', { name: 'Tender' })).body;
    await api.post(`/api/v1/customers/${c.id}/points/adjust`, { points: 20 });
    await api.post(`/api/v1/customers/${c.id}/store-credit`, { amount: 5_000 });
    const o = (await api.post('/api/v1/orders', { customer_id: c.id, items: [{ variant_id: latte.variantId, quantity: 1 }] })).body;
    await api.post(`/api/v1/orders/${o.id}/finalize`, {});
    const tooMuch = await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'LOYALTY_POINTS', amount: 21_000 });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.code).toBe('LOYALTY_INSUFFICIENT_BALANCE');
    const pts = await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'LOYALTY_POINTS', amount: 15_500, idempotency_key: 'pay-pts' });
    expect(pts.status, JSON.stringify(pts.body)).toBe(201);
    const replay = await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'LOYALTY_POINTS', amount: 15_500, idempotency_key: 'pay-pts' });
    expect(replay.status).toBe(201);
    expect((await api.get(`/api/v1/customers/${c.id}`)).body.points_balance).toBe(20 - 16); // 15,500 needs 16 points
    const credit = await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'STORE_CREDIT', amount: 5_000 });
    expect(credit.status).toBe(201);
    await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CASH', amount: 9_500 });
    const done = await api.post(`/api/v1/orders/${o.id}/complete`, {});
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const afterSale = (await api.get(`/api/v1/customers/${c.id}`)).body;
    expect(afterSale).toMatchObject({ store_credit_balance: 0, points_balance: 4 + 3 + 1 });
    const refund = await api.post(`/api/v1/orders/${o.id}/refunds`, { reason: 'wrong order' });
    expect(refund.status, JSON.stringify(refund.body)).toBe(201);
    const back = (await api.get(`/api/v1/customers/${c.id}`)).body;
    // The 16 points and 5,000 credit come back; the 4 points the sale earned are reversed.
    expect(back).toMatchObject({ store_credit_balance: 5_000, points_balance: 20 });
  });

  it('refuses points as a tender without a customer on the order', async () => {
    const o = (await api.post('/api/v1/orders', { items: [{ variant_id: latte.variantId, quantity: 1 }] })).body;
    await api.post(`/api/v1/orders/${o.id}/finalize`, {});
    const r = await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'LOYALTY_POINTS', amount: 1_000 });
    expect(r.body.error).toMatchObject({ code: 'LOYALTY_CUSTOMER_REQUIRED' });
  });

  it('merges a duplicate: orders, points and credit move, the duplicate is archived and frees its e-mail', async () => {
    const keep = (await api.post('/api/v1/customers', { name: 'Ani', phone: '0812 7777 0001' })).body;
    const dup = (await api.post('/api/v1/customers', { name: 'Ani S.', email: 'ani@example.com', tags: ['dup'] })).body;
    await checkout(keep.id);
    const dupOrder = await checkout(dup.id);
    await api.post(`/api/v1/customers/${dup.id}/store-credit`, { amount: 2_500 });
    const dupPoints = (await api.get(`/api/v1/customers/${dup.id}`)).body.points_balance;
    const keepPoints = (await api.get(`/api/v1/customers/${keep.id}`)).body.points_balance;
    const self = await api.post(`/api/v1/customers/${keep.id}/merge`, { source_id: keep.id });
    expect(self.body.error.code).toBe('CUSTOMER_MERGE_INVALID');
    const m = await api.post(`/api/v1/customers/${keep.id}/merge`, { source_id: dup.id });
    expect(m.status, JSON.stringify(m.body)).toBe(200);
    expect(m.body).toMatchObject({ email: 'ani@example.com', phone: '+6281277770001', orders_count: 2, points_balance: keepPoints + dupPoints, store_credit_balance: 2_500, tags: ['dup'] });
    const gone = (await api.get(`/api/v1/customers/${dup.id}`)).body;
    expect(gone).toMatchObject({ merged_into: keep.id, points_balance: 0 });
    expect(gone.archived_at).not.toBeNull();
    expect((await api.get(`/api/v1/orders/${dupOrder.id}`)).body.customer_id).toBe(keep.id);
    const again = await api.post(`/api/v1/customers/${keep.id}/merge`, { source_id: dup.id });
    expect(again.body.error.code).toBe('CUSTOMER_ARCHIVED');
    // Balance = sum of ledger for the survivor.
    const [sum] = await query<{ p: string; c: string }>(s, t, sql`SELECT coalesce(sum(amount) FILTER (WHERE account = 'points'), 0) AS p, coalesce(sum(amount) FILTER (WHERE account = 'credit'), 0) AS c FROM loyalty_entries WHERE customer_id = ${keep.id}`);
    expect([Number(sum!.p), Number(sum!.c)]).toEqual([m.body.points_balance, 2_500]);
  });

  it('expires points past their expiry, only what is left of them', async () => {
    const c = (await api.post('/api/v1/customers', { name: 'Expiring' })).body;
    await api.post(`/api/v1/customers/${c.id}/points/adjust`, { points: 10 });
    await api.post(`/api/v1/customers/${c.id}/points/adjust`, { points: 5 });
    await api.post(`/api/v1/customers/${c.id}/points/redeem`, { points: 4 });
    // Backdate the first bucket (6 of its 10 left after the redemption) past expiry.
    await inTenant(s, t, (tx) => tx.db.execute(sql`UPDATE loyalty_entries SET expires_at = now() - interval '1 day' WHERE customer_id = ${c.id} AND amount = 10`));
    const r = await api.post('/api/v1/loyalty/expire-points', {});
    expect(r.body).toMatchObject({ customers: 1, points: 6 });
    expect((await api.get(`/api/v1/customers/${c.id}`)).body.points_balance).toBe(5);
    expect((await api.post('/api/v1/loyalty/expire-points', {})).body).toMatchObject({ customers: 0, points: 0 });
  });

  it('has an hourly job that expires points in every tenant', async () => {
    const c = (await api.post('/api/v1/customers', { name: 'Job expiry' })).body;
    await api.post(`/api/v1/customers/${c.id}/points/adjust`, { points: 7 });
    await inTenant(s, t, (tx) => tx.db.execute(sql`UPDATE loyalty_entries SET expires_at = now() - interval '1 hour' WHERE customer_id = ${c.id}`));
    expect(await expireAllTenants(s.app.database)).toBeGreaterThanOrEqual(7n);
    const me = (await api.get(`/api/v1/customers/${c.id}`)).body;
    expect(me.points_balance).toBe(0);
    const kinds = (await api.get(`/api/v1/customers/${c.id}/loyalty-entries`)).body.items.map((e: { kind: string; amount: number }) => [e.kind, e.amount]);
    expect(kinds).toEqual([['adjust', 7], ['expire', -7]]);
  });
});
