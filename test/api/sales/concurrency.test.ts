import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTenant, openOrder, pricedProduct, query, startSalesServer, type TestServer } from './support.js';

let s: TestServer;
beforeAll(async () => {
  s = await startSalesServer();
});
afterAll(() => s.stop());

describe('concurrency', () => {
  it('two terminals completing the same order at once: exactly one wins, one receipt number is used', async () => {
    const t = await createTenant(s.app);
    const api = as(s, t);
    const p = await pricedProduct(api, 1_000_000);
    const o = await openOrder(api, [{ variant_id: p.variantId }]);
    await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CASH', amount: 1_000_000 });
    const [a, b] = await Promise.all([api.post(`/api/v1/orders/${o.id}/complete`), api.post(`/api/v1/orders/${o.id}/complete`)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(['ORDER_INVALID_TRANSITION', 'ORDER_CONCURRENT_UPDATE']).toContain(loser.body.error.code);
    const events = await query<{ n: string | number }>(s, t, sql`SELECT count(*) AS n FROM outbox_events WHERE type = 'order.completed' AND aggregate_id = ${o.id}`);
    expect(Number(events[0]!.n)).toBe(1);
    const counter = await query<{ last_value: bigint | string }>(s, t, sql`SELECT last_value FROM receipt_counters WHERE series = 'sale'`);
    expect(BigInt(counter[0]!.last_value)).toBe(1n);
  });

  it('50 concurrent completions at one outlet get receipt numbers 1..50: no gap, no duplicate', async () => {
    const t = await createTenant(s.app);
    const api = as(s, t);
    const p = await pricedProduct(api, 1_000_000);
    const ids: string[] = [];
    for (let n = 0; n < 50; n++) {
      const o = await openOrder(api, [{ variant_id: p.variantId }]);
      await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CARD', amount: 1_000_000, card_last4: '1111' });
      ids.push(o.id);
    }
    // one more completion that fails (unpaid) in the middle of the storm must not burn a number
    const unpaid = await openOrder(api, [{ variant_id: p.variantId }]);
    const results = await Promise.all([...ids.map((id) => api.post(`/api/v1/orders/${id}/complete`)), api.post(`/api/v1/orders/${unpaid.id}/complete`)]);
    expect(results.slice(0, 50).every((r) => r.status === 200)).toBe(true);
    expect(results[50]!.status).toBe(409);
    const numbers = results.slice(0, 50).map((r) => r.body.receipt_number as string).sort();
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => `MAIN-${String(i + 1).padStart(6, '0')}`));
  });

  it('the same payment retried with its idempotency key is charged once, even when the retries race', async () => {
    const t = await createTenant(s.app);
    const api = as(s, t);
    const p = await pricedProduct(api, 3_000_000);
    const o = await openOrder(api, [{ variant_id: p.variantId }]);
    const body = { tender_type: 'CARD', amount: 1_000_000, card_last4: '4242', card_brand: 'VISA', idempotency_key: 'pay-1' };
    const racing = await Promise.all([1, 2, 3].map(() => api.post(`/api/v1/orders/${o.id}/payments`, body)));
    expect(racing.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(racing.map((r) => r.body.payment.id)).size).toBe(1);
    expect(racing.filter((r) => r.body.replayed === false)).toHaveLength(1);
    const again = await api.post(`/api/v1/orders/${o.id}/payments`, body);
    expect(again.body).toMatchObject({ replayed: true, payment: { id: racing[0]!.body.payment.id } });
    const got = await api.get(`/api/v1/orders/${o.id}`);
    expect(got.body).toMatchObject({ paid_total: 1_000_000, payments: [{ amount: 1_000_000 }] });
    expect(got.body.payments).toHaveLength(1);
    const reused = await api.post(`/api/v1/orders/${o.id}/payments`, { ...body, amount: 2_000_000 });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('PAYMENT_KEY_REUSED');
  });

  it('the route-level Idempotency-Key replays a payment too', async () => {
    const t = await createTenant(s.app);
    const api = as(s, t);
    const p = await pricedProduct(api, 3_000_000);
    const o = await openOrder(api, [{ variant_id: p.variantId }]);
    const first = await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CASH', amount: 1_000_000 }, { 'idempotency-key': 'hdr-1' });
    const second = await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CASH', amount: 1_000_000 }, { 'idempotency-key': 'hdr-1' });
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body.payment.id).toBe(first.body.payment.id);
    expect((await api.get(`/api/v1/orders/${o.id}`)).body.paid_total).toBe(1_000_000);
  });

  it('an offline order replayed with its client_id (even concurrently) is created once', async () => {
    const t = await createTenant(s.app);
    const api = as(s, t);
    const p = await pricedProduct(api, 1_000_000);
    const clientId = '01900000-0000-7000-8000-0000000000c1';
    const body = { client_id: clientId, items: [{ variant_id: p.variantId }], tenders: [{ tender_type: 'CASH', amount: 1_000_000 }] };
    const rs = await Promise.all([1, 2, 3].map(() => api.post('/api/v1/checkout', body)));
    expect(rs.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(rs.map((r) => r.body.id)).size).toBe(1);
    expect(new Set(rs.map((r) => r.body.receipt_number)).size).toBe(1);
    const orders = await query<{ n: string | number }>(s, t, sql`SELECT count(*) AS n FROM orders`);
    expect(Number(orders[0]!.n)).toBe(1);
    const draft = await api.post('/api/v1/orders', { client_id: clientId });
    expect(draft.body.id).toBe(rs[0]!.body.id);
  });
});
