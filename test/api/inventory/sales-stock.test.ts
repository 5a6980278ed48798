import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTenant, ledgerDrift, openOrder, pricedProduct, query, salesRows, setSettings, startSalesServer, stockedProduct, stockOf, type TestServer } from './support.js';

let s: TestServer;
beforeAll(async () => {
  s = await startSalesServer();
});
afterAll(() => s.stop());

const checkout = (items: { variant_id: string; quantity?: number }[], amount: number) => ({ items, tenders: [{ tender_type: 'CASH', amount }] });

async function tenant(settings: Record<string, unknown> = { allow_negative_stock: false }) {
  const t = await createTenant(s.app);
  const api = as(s, t);
  expect((await setSettings(api, settings)).status).toBe(200);
  return { t, api };
}

describe('sales take stock', () => {
  it('a checkout takes stock at the outlet, records each line’s cost, and raises stock.changed and stock.low', async () => {
    const { t, api } = await tenant();
    const p = await stockedProduct(api, t, 5, { amount: 10_000, cost: 4_000 });
    await api.patch(`/api/v1/inventory/stock/${t.outletId}/${p.variantId}`, { reorder_point: 3 });
    const untracked = await pricedProduct(api, 5_000, { track_stock: false });
    const r = await api.post('/api/v1/checkout', checkout([{ variant_id: p.variantId, quantity: 2 }, { variant_id: untracked.variantId }, { variant_id: p.variantId }], 35_000));
    expect(r.status).toBe(201);
    expect(await stockOf(api, t.outletId, p.variantId)).toMatchObject({ on_hand: 2, available: 2 });
    const moves = await api.get(`/api/v1/inventory/movements?reference_id=${r.body.id}`);
    expect(moves.body.items).toEqual([expect.objectContaining({ type: 'sale', quantity: -3, unit_cost: 4_000, variant_id: p.variantId, reference_type: 'order' })]);
    const costs = await query<{ quantity: string; unit_cost: string | bigint }>(s, t, sql`SELECT quantity, unit_cost FROM sale_costs WHERE order_id = ${r.body.id} ORDER BY quantity`);
    expect(costs.map((c) => [Number(c.quantity), Number(c.unit_cost)])).toEqual([[1, 4_000], [2, 4_000]]);
    const events = await query<{ type: string; payload: { available: number } }>(s, t, sql`SELECT type, payload FROM outbox_events WHERE type LIKE 'stock.%' AND aggregate_id = ${`${t.outletId}:${p.variantId}`} ORDER BY id`);
    expect(events.map((e) => e.type)).toEqual(['stock.changed', 'stock.changed', 'stock.low']);
    expect(Number(events[2]!.payload.available)).toBe(2);
    expect(await ledgerDrift(s, t)).toEqual([]);
  });

  it('refuses a sale that would take stock below zero, naming the variant; nothing is written', async () => {
    const { t, api } = await tenant();
    const plenty = await stockedProduct(api, t, 10);
    const scarce = await stockedProduct(api, t, 1);
    const before = await salesRows(s, t);
    const r = await api.post('/api/v1/checkout', checkout([{ variant_id: plenty.variantId }, { variant_id: scarce.variantId, quantity: 2 }], 30_000));
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'STOCK_INSUFFICIENT', details: { variant_id: scarce.variantId, requested: 2, available: 1 } });
    expect(r.body.error.message).toContain(scarce.variantId);
    expect(await salesRows(s, t)).toEqual(before);
    expect(await stockOf(api, t.outletId, plenty.variantId)).toMatchObject({ on_hand: 10 });
    expect(await stockOf(api, t.outletId, scarce.variantId)).toMatchObject({ on_hand: 1 });
  });

  it('sells into negative stock when the tenant allows it (the default)', async () => {
    const t = await createTenant(s.app);
    const api = as(s, t);
    const p = await pricedProduct(api, 10_000);
    expect((await api.post('/api/v1/checkout', checkout([{ variant_id: p.variantId, quantity: 2 }], 20_000))).status).toBe(201);
    expect(await stockOf(api, t.outletId, p.variantId)).toMatchObject({ on_hand: -2 });
    expect(await ledgerDrift(s, t)).toEqual([]);
  });

  it('the interactive flow takes stock on completion; a refund with restock puts it back at the cost the sale took', async () => {
    const { t, api } = await tenant();
    const p = await stockedProduct(api, t, 4, { amount: 10_000, cost: 1_000 });
    const o = await openOrder(api, [{ variant_id: p.variantId, quantity: 3 }]);
    await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CASH', amount: o.total });
    const done = await api.post(`/api/v1/orders/${o.id}/complete`);
    expect(done.status).toBe(200);
    expect(await stockOf(api, t.outletId, p.variantId)).toMatchObject({ on_hand: 1 });
    // new stock at a higher cost moves the average; the refund still returns the units at 1,000
    await api.post('/api/v1/inventory/adjustments', { location_id: t.outletId, variant_id: p.variantId, quantity: 1, type: 'purchase_receipt', unit_cost: 3_000 });
    expect(await stockOf(api, t.outletId, p.variantId)).toMatchObject({ on_hand: 2, unit_cost: 2_000 });
    const item = done.body.items[0];
    const back = await api.post(`/api/v1/orders/${o.id}/refunds`, { reason: 'returned', items: [{ item_id: item.id, quantity: 2, restock: true }] });
    expect(back.status).toBe(201);
    expect(await stockOf(api, t.outletId, p.variantId)).toMatchObject({ on_hand: 4, unit_cost: 1_500 });
    const moves = await api.get(`/api/v1/inventory/movements?variant_id=${p.variantId}`);
    expect(moves.body.items.at(-1)).toMatchObject({ type: 'refund', quantity: 2, unit_cost: 1_000, reference_type: 'refund' });
    const noRestock = await api.post(`/api/v1/orders/${o.id}/refunds`, { reason: 'broken', items: [{ item_id: item.id, quantity: 1, restock: false }] });
    expect(noRestock.status).toBe(201);
    expect(await stockOf(api, t.outletId, p.variantId)).toMatchObject({ on_hand: 4 });
    const costs = await query<{ refunded_quantity: string }>(s, t, sql`SELECT refunded_quantity FROM sale_costs WHERE order_id = ${o.id}`);
    expect(Number(costs[0]!.refunded_quantity)).toBe(2);
    expect(await ledgerDrift(s, t)).toEqual([]);
  });
});

describe('reserve on add', () => {
  it('open orders hold stock, a void releases it, completion consumes what was held', async () => {
    const { t, api } = await tenant({ allow_negative_stock: false, reservation_mode: 'reserve_on_add', reservation_ttl_minutes: 15 });
    const p = await stockedProduct(api, t, 3);
    const a = await api.post('/api/v1/orders', { items: [{ variant_id: p.variantId, quantity: 2 }] });
    expect(a.status).toBe(201);
    expect(await stockOf(api, t.outletId, p.variantId)).toMatchObject({ on_hand: 3, reserved: 2, available: 1 });
    // a second order cannot reserve more than is available
    const b = await api.post('/api/v1/orders', { items: [{ variant_id: p.variantId, quantity: 2 }] });
    expect(b.status).toBe(409);
    expect(b.body.error).toMatchObject({ code: 'STOCK_INSUFFICIENT', details: { variant_id: p.variantId } });
    // changing the line re-reserves the difference
    const c = await api.post('/api/v1/orders', { items: [{ variant_id: p.variantId, quantity: 1 }] });
    expect(c.status).toBe(201);
    expect(await stockOf(api, t.outletId, p.variantId)).toMatchObject({ reserved: 3, available: 0 });
    expect((await api.post(`/api/v1/orders/${a.body.id}/void`, { reason: 'left' })).status).toBe(200);
    expect(await stockOf(api, t.outletId, p.variantId)).toMatchObject({ on_hand: 3, reserved: 1, available: 2 });
    const fin = await api.post(`/api/v1/orders/${c.body.id}/finalize`, {});
    await api.post(`/api/v1/orders/${c.body.id}/payments`, { tender_type: 'CASH', amount: fin.body.total });
    expect((await api.post(`/api/v1/orders/${c.body.id}/complete`)).status).toBe(200);
    expect(await stockOf(api, t.outletId, p.variantId)).toMatchObject({ on_hand: 2, reserved: 0, available: 2 });
    expect(await ledgerDrift(s, t)).toEqual([]);
  });

  it('the expiry job releases reservations of orders left open', async () => {
    const { t, api } = await tenant({ reservation_mode: 'reserve_on_add' });
    const p = await stockedProduct(api, t, 5);
    const o = await api.post('/api/v1/orders', { items: [{ variant_id: p.variantId, quantity: 4 }] });
    expect(await stockOf(api, t.outletId, p.variantId)).toMatchObject({ reserved: 4 });
    await s.app.database.systemTransaction((db) => db.execute(sql`UPDATE stock_reservations SET expires_at = now() - interval '1 minute' WHERE order_id = ${o.body.id}`));
    const { releaseExpiredReservations } = await import('../../../src/modules/inventory/index.js');
    expect(await s.app.database.systemTransaction((db) => releaseExpiredReservations(db))).toBeGreaterThanOrEqual(1);
    expect(await stockOf(api, t.outletId, p.variantId)).toMatchObject({ on_hand: 5, reserved: 0 });
    expect(await ledgerDrift(s, t)).toEqual([]);
  });
});
