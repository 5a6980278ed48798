import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTenant, ledgerDrift, pricedProduct, query, setSettings, startSalesServer, stockOf, type Client, type TestServer, type TestTenant } from './support.js';

let s: TestServer;
beforeAll(async () => {
  s = await startSalesServer();
});
afterAll(() => s.stop());

async function fifoTenant(): Promise<{ t: TestTenant; api: Client }> {
  const t = await createTenant(s.app);
  const api = as(s, t);
  const r = await setSettings(api, { costing_method: 'fifo' });
  expect(r.status).toBe(200);
  expect(r.body.costing_method).toBe('fifo');
  return { t, api };
}

const receive = async (api: Client, locationId: string, variantId: string, quantity: number, unitCost?: number, type = 'purchase_receipt') => {
  const r = await api.post('/api/v1/inventory/adjustments', { location_id: locationId, variant_id: variantId, quantity, type, ...(unitCost === undefined ? {} : { unit_cost: unitCost }) });
  expect(r.status).toBe(201);
  return r.body;
};
const sell = async (api: Client, variantId: string, quantity: number) => {
  const r = await api.post('/api/v1/checkout', { items: [{ variant_id: variantId, quantity }], tenders: [{ tender_type: 'CASH', amount: 1_000 * quantity }] });
  expect(r.status).toBe(201);
  return r.body;
};
const layers = (t: TestTenant, locationId: string, variantId: string) =>
  query<{ quantity: string; remaining: string; unit_cost: string | bigint }>(s, t, sql`SELECT quantity, remaining, unit_cost FROM cost_layers WHERE location_id = ${locationId} AND variant_id = ${variantId} ORDER BY id`)
    .then((rows) => rows.map((r) => [Number(r.remaining), Number(r.unit_cost)]));
const lineCost = async (t: TestTenant, orderId: string) =>
  (await query<{ unit_cost: string | bigint; total_cost: string | bigint | null }>(s, t, sql`SELECT unit_cost, total_cost FROM sale_costs WHERE order_id = ${orderId}`)).map((r) => ({ unit: Number(r.unit_cost), total: Number(r.total_cost) }));
const valuation = async (api: Client, locationId: string) => (await api.get(`/api/v1/inventory/locations/${locationId}/valuation`)).body.value as number;
const lastMovement = async (api: Client, variantId: string) => (await api.get(`/api/v1/inventory/movements?variant_id=${variantId}`)).body.items.at(-1);

describe('FIFO costing', () => {
  it('costs a sale by the oldest layers first, refunds return the cost they took, and valuation is the remaining layers', async () => {
    const { t, api } = await fifoTenant();
    const p = await pricedProduct(api, 1_000);
    await receive(api, t.outletId, p.variantId, 10, 1_000);
    await receive(api, t.outletId, p.variantId, 10, 1_500);
    expect(await valuation(api, t.outletId)).toBe(25_000);

    const sale = await sell(api, p.variantId, 15);
    // 10 × 1,000 + 5 × 1,500 = 17,500: the moving average (1,250) would have said 18,750
    expect(await lineCost(t, sale.id)).toEqual([{ unit: 1_167, total: 17_500 }]);
    expect(await lastMovement(api, p.variantId)).toMatchObject({ type: 'sale', quantity: -15, unit_cost: 1_167 });
    expect(await layers(t, t.outletId, p.variantId)).toEqual([[0, 1_000], [5, 1_500]]);
    expect(await valuation(api, t.outletId)).toBe(7_500);

    const back = await api.post(`/api/v1/orders/${sale.id}/refunds`, { reason: 'returned', items: [{ item_id: sale.items[0].id, quantity: 5, restock: true }] });
    expect(back.status).toBe(201);
    expect(await layers(t, t.outletId, p.variantId)).toEqual([[0, 1_000], [5, 1_500], [5, 1_167]]);
    expect(await lastMovement(api, p.variantId)).toMatchObject({ type: 'refund', quantity: 5, unit_cost: 1_167 });
    expect(await valuation(api, t.outletId)).toBe(7_500 + 5 * 1_167);

    // the next sale takes the older 1,500 layer before the returned units
    const next = await sell(api, p.variantId, 7);
    expect(await lineCost(t, next.id)).toEqual([{ unit: 1_405, total: 5 * 1_500 + 2 * 1_167 }]);
    expect(await layers(t, t.outletId, p.variantId)).toEqual([[0, 1_000], [0, 1_500], [3, 1_167]]);
    expect((await stockOf(api, t.outletId, p.variantId)).on_hand).toBe(3);
    expect(await ledgerDrift(s, t)).toEqual([]);
  });

  it('two lines of the same variant each take their own slice, so each line’s cost is exact', async () => {
    const { t, api } = await fifoTenant();
    const p = await pricedProduct(api, 1_000);
    await receive(api, t.outletId, p.variantId, 2, 1_000);
    await receive(api, t.outletId, p.variantId, 2, 2_000);
    const r = await api.post('/api/v1/checkout', { items: [{ variant_id: p.variantId, quantity: 2 }, { variant_id: p.variantId, quantity: 2 }], tenders: [{ tender_type: 'CASH', amount: 4_000 }] });
    expect(r.status).toBe(201);
    const costs = await lineCost(t, r.body.id);
    expect(costs.map((c) => c.total).sort()).toEqual([2_000, 4_000]);
    expect(await lastMovement(api, p.variantId)).toMatchObject({ type: 'sale', quantity: -4, unit_cost: 1_500 });
  });

  it('stock sold below zero costs at the last known cost; the next receipt first fills the deficit', async () => {
    const { t, api } = await fifoTenant();
    const p = await pricedProduct(api, 1_000);
    await receive(api, t.outletId, p.variantId, 2, 1_000);
    const sale = await sell(api, p.variantId, 5);
    expect(await lineCost(t, sale.id)).toEqual([{ unit: 1_000, total: 5_000 }]);
    expect((await stockOf(api, t.outletId, p.variantId)).on_hand).toBe(-3);
    expect(await valuation(api, t.outletId)).toBe(0);
    await receive(api, t.outletId, p.variantId, 10, 2_000);
    // 3 of the 10 cover the units already sold: one layer of 7
    expect(await layers(t, t.outletId, p.variantId)).toEqual([[0, 1_000], [7, 2_000]]);
    expect(await valuation(api, t.outletId)).toBe(14_000);
    // waste and a count loss take layers too; a count gain comes in at the last known cost
    await receive(api, t.outletId, p.variantId, -2, undefined, 'waste');
    expect(await lastMovement(api, p.variantId)).toMatchObject({ type: 'waste', quantity: -2, unit_cost: 2_000 });
    await receive(api, t.outletId, p.variantId, 1, undefined, 'adjustment');
    expect(await layers(t, t.outletId, p.variantId)).toEqual([[0, 1_000], [5, 2_000], [1, 2_000]]);
  });

  it('a transfer takes FIFO cost out of one location and opens a layer at that cost in the other', async () => {
    const { t, api } = await fifoTenant();
    const p = await pricedProduct(api, 1_000);
    const wh = (await api.post('/api/v1/inventory/locations', { name: 'FIFO warehouse' })).body.id as string;
    await receive(api, t.outletId, p.variantId, 2, 1_000);
    await receive(api, t.outletId, p.variantId, 4, 4_000);
    const tr = (await api.post('/api/v1/transfers', { from_location_id: t.outletId, to_location_id: wh, lines: [{ variant_id: p.variantId, quantity: 4 }] })).body;
    expect((await api.post(`/api/v1/transfers/${tr.id}/ship`)).status).toBe(200);
    const shipped = (await api.get(`/api/v1/transfers/${tr.id}`)).body;
    expect(shipped.lines[0].unit_cost).toBe(2_500); // (2 × 1,000 + 2 × 4,000) ÷ 4
    expect((await api.post(`/api/v1/transfers/${tr.id}/receive`, { lines: [{ variant_id: p.variantId, quantity: 4 }] })).status).toBe(200);
    expect(await layers(t, wh, p.variantId)).toEqual([[4, 2_500]]);
    expect(await valuation(api, wh)).toBe(10_000);
    expect(await valuation(api, t.outletId)).toBe(8_000);
  });

  it('switching to FIFO opens one layer per level at its average; switching back sets the average from the layers', async () => {
    const t = await createTenant(s.app);
    const api = as(s, t);
    const p = await pricedProduct(api, 1_000);
    const short = await pricedProduct(api, 1_000);
    await receive(api, t.outletId, p.variantId, 4, 1_000);
    await receive(api, t.outletId, p.variantId, 4, 3_000);
    await sell(api, short.variantId, 1); // a level below zero gets no layer
    expect(await valuation(api, t.outletId)).toBe(16_000);
    expect((await setSettings(api, { costing_method: 'fifo' })).status).toBe(200);
    expect(await layers(t, t.outletId, p.variantId)).toEqual([[8, 2_000]]);
    expect(await layers(t, t.outletId, short.variantId)).toEqual([]);
    expect(await valuation(api, t.outletId)).toBe(16_000);
    await sell(api, p.variantId, 2);
    await receive(api, t.outletId, p.variantId, 2, 5_000);
    expect(await valuation(api, t.outletId)).toBe(6 * 2_000 + 2 * 5_000);
    expect((await setSettings(api, { costing_method: 'moving_average' })).status).toBe(200);
    expect(await stockOf(api, t.outletId, p.variantId)).toMatchObject({ on_hand: 8, unit_cost: 2_750 });
    expect(await valuation(api, t.outletId)).toBe(22_000);
    expect(await query(s, t, sql`SELECT 1 FROM cost_layers`)).toEqual([]);
    // moving average again: a sale costs at the average, no layers
    const sale = await sell(api, p.variantId, 1);
    expect((await lineCost(t, sale.id))[0]!.unit).toBe(2_750);
  });
});
