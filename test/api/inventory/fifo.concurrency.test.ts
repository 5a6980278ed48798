import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTenant, ledgerDrift, pricedProduct, query, setSettings, startSalesServer, stockOf, type TestServer } from './support.js';

let s: TestServer;
beforeAll(async () => {
  s = await startSalesServer();
});
afterAll(() => s.stop());

/** Run on PostgreSQL too: TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/kasir_fifo npx vitest run test/api/inventory/fifo.concurrency.test.ts */
describe('FIFO layers under concurrent sales', () => {
  it('concurrent checkouts consume each layer unit exactly once: COGS + remaining layers = value received, oldest layers emptied first', async () => {
    const t = await createTenant(s.app);
    const api = as(s, t);
    expect((await setSettings(api, { costing_method: 'fifo', allow_negative_stock: false })).status).toBe(200);
    const p = await pricedProduct(api, 1_000);
    let received = 0;
    for (let i = 0; i < 12; i++) {
      const cost = 1_000 + 137 * i;
      const r = await api.post('/api/v1/inventory/adjustments', { location_id: t.outletId, variant_id: p.variantId, quantity: 5, type: 'purchase_receipt', unit_cost: cost });
      expect(r.status).toBe(201);
      received += 5 * cost;
    }
    // 40 checkouts of 1 or 2 units (60 units wanted of 60 on hand, with a few more asking than there is)
    const sizes = Array.from({ length: 44 }, (_, i) => (i % 2 === 0 ? 1 : 2));
    const results = await Promise.all(sizes.map((q) => api.post('/api/v1/checkout', { items: [{ variant_id: p.variantId, quantity: q }], tenders: [{ tender_type: 'CASH', amount: 1_000 * q }] })));
    const ok = results.filter((r) => r.status === 201);
    expect(results.filter((r) => r.status !== 201).every((r) => r.body.error.code === 'STOCK_INSUFFICIENT')).toBe(true);
    expect(ok.length).toBeGreaterThan(0);

    const cogs = await query<{ total: string | bigint; units: string }>(s, t, sql`SELECT sum(total_cost) AS total, sum(quantity) AS units FROM sale_costs WHERE variant_id = ${p.variantId}`);
    const layerRows = await query<{ remaining: string; unit_cost: string | bigint; quantity: string }>(s, t, sql`SELECT quantity, remaining, unit_cost FROM cost_layers WHERE variant_id = ${p.variantId} ORDER BY id`);
    const remainingValue = layerRows.reduce((sum, l) => sum + Number(l.remaining) * Number(l.unit_cost), 0);
    const remainingUnits = layerRows.reduce((sum, l) => sum + Number(l.remaining), 0);
    expect(Number(cogs[0]!.total) + remainingValue).toBe(received);
    const onHand = (await stockOf(api, t.outletId, p.variantId)).on_hand;
    expect(remainingUnits).toBe(onHand);
    expect(Number(cogs[0]!.units)).toBe(60 - onHand);
    // FIFO: the emptied layers are the oldest ones; at most one is partly used, and every newer one is whole
    const firstOpen = layerRows.findIndex((l) => Number(l.remaining) > 0);
    const open = firstOpen === -1 ? [] : layerRows.slice(firstOpen);
    expect(layerRows.slice(0, firstOpen === -1 ? layerRows.length : firstOpen).every((l) => Number(l.remaining) === 0)).toBe(true);
    expect(open.slice(1).every((l) => l.remaining === l.quantity || Number(l.remaining) === Number(l.quantity))).toBe(true);
    // each sale's movement is costed at what its line took
    const mismatched = await query(s, t, sql`
      SELECT m.id FROM stock_movements m JOIN sale_costs c ON c.order_id = m.reference_id AND c.variant_id = m.variant_id
       WHERE m.type = 'sale' AND m.variant_id = ${p.variantId} AND m.total_cost <> c.total_cost`);
    expect(mismatched).toEqual([]);
    expect(await ledgerDrift(s, t)).toEqual([]);
  }, 120_000);

  it('sales racing a switch to FIFO and back leave the layers holding what is on hand once the level posts again', async () => {
    const t = await createTenant(s.app);
    const api = as(s, t);
    const p = await pricedProduct(api, 1_000);
    expect((await api.post('/api/v1/inventory/adjustments', { location_id: t.outletId, variant_id: p.variantId, quantity: 500, type: 'purchase_receipt', unit_cost: 1_000 })).status).toBe(201);
    const sale = () => api.post('/api/v1/checkout', { items: [{ variant_id: p.variantId, quantity: 1 }], tenders: [{ tender_type: 'CASH', amount: 1_000 }] });
    const settle = async (costing: string) => {
      const [switched, ...sold] = await Promise.all([setSettings(api, { costing_method: costing }), ...Array.from({ length: 30 }, sale)]);
      expect(switched!.status).toBe(200);
      expect(sold.every((r) => r.status === 201)).toBe(true);
    };
    await settle('fifo');
    expect((await sale()).status).toBe(201); // the next FIFO posting reconciles the level
    const layers = await query<{ units: string | null }>(s, t, sql`SELECT sum(remaining) AS units FROM cost_layers WHERE variant_id = ${p.variantId}`);
    expect(Number(layers[0]!.units)).toBe((await stockOf(api, t.outletId, p.variantId)).on_hand);
    await settle('moving_average');
    expect(await query(s, t, sql`SELECT 1 FROM cost_layers`)).toEqual([]);
    expect(await stockOf(api, t.outletId, p.variantId)).toMatchObject({ on_hand: 500 - 61, unit_cost: 1_000 });
    expect(await ledgerDrift(s, t)).toEqual([]);
  }, 120_000);
});
