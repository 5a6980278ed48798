import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTenant, ledgerDrift, query, setSettings, startSalesServer, stockedProduct, stockOf, type TestServer } from './support.js';

let s: TestServer;
beforeAll(async () => {
  s = await startSalesServer();
});
afterAll(() => s.stop());

describe('stock under concurrent sales', () => {
  it('200 concurrent one-unit checkouts of a variant with 50 in stock, negative stock forbidden: exactly 50 sell', async () => {
    const t = await createTenant(s.app);
    const api = as(s, t);
    expect((await setSettings(api, { allow_negative_stock: false })).status).toBe(200);
    const p = await stockedProduct(api, t, 50, { amount: 10_000, cost: 3_000 });
    const results = await Promise.all(
      Array.from({ length: 200 }, () => api.post('/api/v1/checkout', { items: [{ variant_id: p.variantId, quantity: 1 }], tenders: [{ tender_type: 'CASH', amount: 10_000 }] })),
    );
    const ok = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    expect(ok).toHaveLength(50);
    expect(refused).toHaveLength(150);
    expect(new Set(refused.map((r) => `${r.status} ${r.body.error.code} ${r.body.error.details.variant_id}`))).toEqual(new Set([`409 STOCK_INSUFFICIENT ${p.variantId}`]));
    expect(await stockOf(api, t.outletId, p.variantId)).toMatchObject({ on_hand: 0, available: 0 });
    // the ledger explains all 50: one receipt of +50 and one sale of -1 per completed order, nothing else
    const sales = await query<{ reference_id: string; quantity: string }>(s, t, sql`SELECT reference_id, quantity FROM stock_movements WHERE type = 'sale' AND variant_id = ${p.variantId}`);
    expect(sales).toHaveLength(50);
    expect(new Set(sales.map((m) => m.reference_id))).toEqual(new Set(ok.map((r) => r.body.id)));
    expect(sales.every((m) => Number(m.quantity) === -1)).toBe(true);
    const orders = await query<{ n: number }>(s, t, sql`SELECT count(*)::int AS n FROM orders WHERE status = 'COMPLETED'`);
    expect(orders[0]!.n).toBe(50);
    expect(await ledgerDrift(s, t)).toEqual([]);
  }, 120_000);
});
