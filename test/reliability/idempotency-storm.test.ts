import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTenant, pricedProduct, query, startSalesServer, type TestServer } from '../api/sales/support.js';

/**
 * Issue 8, concurrency: the same checkout sent 1,000 times at once with one Idempotency-Key is one sale.
 * (Two terminals completing one order is test/api/sales/concurrency.test.ts, which runs on both databases.)
 */
let s: TestServer;
beforeAll(async () => {
  s = await startSalesServer();
});
afterAll(() => s.stop());

const STORM = Number(process.env.STORM_REQUESTS ?? 1000);

describe('idempotency under a storm', () => {
  it(`${STORM} concurrent identical checkouts with one Idempotency-Key make exactly one order and one payment; the rest replay it or get 409`, async () => {
    expect(s.app.database.kind).toBe('postgres');
    const t = await createTenant(s.app);
    const api = as(s, t);
    const p = await pricedProduct(api, 2_500_000);
    const key = `storm-${t.tenantId}`;
    const body = { items: [{ variant_id: p.variantId, quantity: 2 }], tenders: [{ tender_type: 'CASH', amount: 10_000_000 }], notes: key };

    const responses = await Promise.all(Array.from({ length: STORM }, () => api.post('/api/v1/checkout', body, { 'idempotency-key': key })));

    const byStatus = new Map<number, number>();
    for (const r of responses) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    const created = responses.filter((r) => r.status === 201);
    const refused = responses.filter((r) => r.status === 409);
    expect([...byStatus.keys()].sort(), JSON.stringify(Object.fromEntries(byStatus))).toEqual(created.length && refused.length ? [201, 409] : created.length ? [201] : [409]);
    expect(refused.every((r) => r.body.error.code === 'IDEMPOTENCY_KEY_IN_FLIGHT')).toBe(true);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    expect(created.filter((r) => r.headers.get('idempotent-replayed') === 'false')).toHaveLength(1);
    expect(new Set(created.map((r) => r.body.receipt_number)).size).toBe(1);

    const orders = await query<{ id: string; status: string; total: bigint | string }>(s, t, sql`SELECT id, status, total FROM orders`);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ id: created[0]!.body.id, status: 'COMPLETED' });
    const payments = await query<{ n: string | number }>(s, t, sql`SELECT count(*) AS n FROM payments`);
    expect(Number(payments[0]!.n)).toBe(1);
    const events = await query<{ n: string | number }>(s, t, sql`SELECT count(*) AS n FROM outbox_events WHERE type = 'order.completed'`);
    expect(Number(events[0]!.n)).toBe(1);

    // once the storm is over, the key replays the sale
    const again = await api.post('/api/v1/checkout', body, { 'idempotency-key': key });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(created[0]!.body.id);
    console.log(`storm of ${STORM}: ${JSON.stringify(Object.fromEntries(byStatus))}`);
  });
});
