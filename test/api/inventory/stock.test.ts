import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { as, createTenant, ledgerDrift, pricedProduct, query, startSalesServer, stockedProduct, stockOf, type Client, type TestServer, type TestTenant } from './support.js';

let s: TestServer;
let t: TestTenant;
let api: Client;

beforeAll(async () => {
  s = await startSalesServer();
  t = await createTenant(s.app);
  api = as(s, t);
  expect((await api.put('/api/v1/inventory/settings', { allow_negative_stock: false })).status).toBe(200);
});
afterAll(() => s.stop());

const tableCounts = async () =>
  (await query<{ levels: number; movements: number; events: number; locations: number }>(
    s,
    t,
    sql`SELECT (SELECT count(*)::int FROM stock_levels) AS levels, (SELECT count(*)::int FROM stock_movements) AS movements,
               (SELECT count(*)::int FROM outbox_events WHERE type LIKE 'stock.%') AS events, (SELECT count(*)::int FROM stock_locations) AS locations`,
  ))[0]!;

describe('locations', () => {
  it('shows every outlet’s default selling location, and creates warehouses', async () => {
    const list = await api.get('/api/v1/inventory/locations');
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual(expect.objectContaining({ id: t.outletId, kind: 'outlet', is_default: true, outlet_id: t.outletId }));
    const w = await api.post('/api/v1/inventory/locations', { name: 'Central warehouse' });
    expect(w.status).toBe(201);
    expect(w.body).toMatchObject({ name: 'Central warehouse', kind: 'warehouse', outlet_id: null, is_default: false, archived: false });
    expect((await api.get(`/api/v1/inventory/locations/${w.body.id}`)).body.name).toBe('Central warehouse');
  });

  it('refuses bad input naming the field, and archived locations take no stock', async () => {
    const bad = await api.post('/api/v1/inventory/locations', { name: '' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error.details)).toContain('name');
    const w = await api.post('/api/v1/inventory/locations', { name: 'Old store room' });
    expect((await api.patch(`/api/v1/inventory/locations/${w.body.id}`, { archived: true })).body.archived).toBe(true);
    const p = await pricedProduct(api);
    const r = await api.post('/api/v1/inventory/adjustments', { location_id: w.body.id, variant_id: p.variantId, quantity: 5 });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'STOCK_LOCATION_ARCHIVED', details: { field: 'location_id' } });
    expect((await api.get('/api/v1/inventory/locations/01900000-0000-7000-8000-000000000001')).status).toBe(404);
  });
});

describe('adjustments and the ledger', () => {
  it('moves stock, keeps a moving-average cost, and explains every unit in the ledger', async () => {
    const p = await pricedProduct(api);
    const a = await api.post('/api/v1/inventory/adjustments', { location_id: t.outletId, variant_id: p.variantId, quantity: 10, type: 'purchase_receipt', unit_cost: 1_000, reason: 'first delivery' });
    expect(a.status).toBe(201);
    expect(a.body.stock_level).toMatchObject({ on_hand: 10, reserved: 0, available: 10, unit_cost: 1_000 });
    expect(a.body.movement).toMatchObject({ type: 'purchase_receipt', quantity: 10, unit_cost: 1_000, reason: 'first delivery', actor_membership_id: t.ownerMembershipId });
    await api.post('/api/v1/inventory/adjustments', { location_id: t.outletId, variant_id: p.variantId, quantity: 10, type: 'purchase_receipt', unit_cost: 2_000 });
    expect(await stockOf(api, t.outletId, p.variantId)).toMatchObject({ on_hand: 20, unit_cost: 1_500 });
    const w = await api.post('/api/v1/inventory/adjustments', { location_id: t.outletId, variant_id: p.variantId, quantity: -2.5, type: 'waste', reason: 'dropped', occurred_at: '2026-11-20T08:00:00Z' });
    expect(w.body.movement).toMatchObject({ quantity: -2.5, unit_cost: 1_500, occurred_at: '2026-11-20T08:00:00.000Z' });
    expect(await stockOf(api, t.outletId, p.variantId)).toMatchObject({ on_hand: 17.5, available: 17.5 });
    const ledger = await api.get(`/api/v1/inventory/movements?variant_id=${p.variantId}`);
    expect(ledger.body.items.map((m: { quantity: number }) => m.quantity)).toEqual([10, 10, -2.5]);
    const val = await api.get(`/api/v1/inventory/locations/${t.outletId}/valuation`);
    expect(val.status).toBe(200);
    expect(await ledgerDrift(s, t)).toEqual([]);
  });

  it('refuses to take stock below zero when negative stock is forbidden, writing nothing', async () => {
    const p = await stockedProduct(api, t, 3);
    const before = await tableCounts();
    const r = await api.post('/api/v1/inventory/adjustments', { location_id: t.outletId, variant_id: p.variantId, quantity: -4 });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'STOCK_INSUFFICIENT', details: { variant_id: p.variantId, requested: 4 } });
    expect(await tableCounts()).toEqual(before);
    const fresh = await pricedProduct(api);
    const r2 = await api.post('/api/v1/inventory/adjustments', { location_id: t.outletId, variant_id: fresh.variantId, quantity: -1 });
    expect(r2.body.error.code).toBe('STOCK_INSUFFICIENT');
    expect(await tableCounts()).toEqual(before);
  });

  it.each([
    [{ quantity: 0 }, 'quantity'],
    [{ quantity: 1.2345 }, 'quantity'],
    [{ quantity: 'lots' }, 'quantity'],
    [{ quantity: -1, type: 'purchase_receipt' }, 'quantity'],
    [{ quantity: 1, type: 'waste' }, 'quantity'],
    [{ quantity: -1, unit_cost: 100 }, 'unit_cost'],
    [{ quantity: 1, unit_cost: -5 }, 'unit_cost'],
    [{ quantity: 1, type: 'sale' }, 'type'],
    [{ quantity: 1, location_id: 'nope' }, 'location_id'],
    [{ quantity: 1, occurred_at: 'yesterday' }, 'occurred_at'],
  ])('refuses %j naming %s, writing nothing', async (patch, field) => {
    const p = await pricedProduct(api);
    const before = await tableCounts();
    const r = await api.post('/api/v1/inventory/adjustments', { location_id: t.outletId, variant_id: p.variantId, ...patch });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body.error.details)).toContain(field);
    expect(await tableCounts()).toEqual(before);
  });

  it('refuses an unknown variant, an archived one and one that does not track stock', async () => {
    const unknown = await api.post('/api/v1/inventory/adjustments', { location_id: t.outletId, variant_id: '01900000-0000-7000-8000-000000000002', quantity: 1 });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'VARIANT_NOT_FOUND', details: { field: 'variant_id' } });
    const untracked = await pricedProduct(api, 5_000, { track_stock: false });
    const r = await api.post('/api/v1/inventory/adjustments', { location_id: t.outletId, variant_id: untracked.variantId, quantity: 1 });
    expect(r.body.error).toMatchObject({ code: 'STOCK_NOT_TRACKED', details: { field: 'variant_id' } });
  });

  it('lists levels at a location, and low ones by their reorder point', async () => {
    const p = await stockedProduct(api, t, 5);
    const th = await api.patch(`/api/v1/inventory/stock/${t.outletId}/${p.variantId}`, { reorder_point: 5, par_level: 20 });
    expect(th.body).toMatchObject({ reorder_point: 5, par_level: 20 });
    const low = await api.get(`/api/v1/inventory/stock?location_id=${t.outletId}&low_only=true`);
    expect(low.body.items.map((l: { variant_id: string }) => l.variant_id)).toContain(p.variantId);
    const all = await api.get(`/api/v1/inventory/stock?location_id=${t.outletId}&page_size=1`);
    expect(all.body.items).toHaveLength(1);
    expect(all.body.next_page_token).not.toBe('');
    expect((await api.get(`/api/v1/inventory/stock?location_id=nope`)).status).toBe(400);
  });
});

describe('settings', () => {
  it('default to negative stock allowed, consume on completion, moving average; refuse what is not offered', async () => {
    const fresh = as(s, await createTenant(s.app));
    expect((await fresh.get('/api/v1/inventory/settings')).body).toEqual({ allow_negative_stock: true, reservation_mode: 'consume_on_completion', reservation_ttl_minutes: 30, costing_method: 'moving_average' });
    const lifo = await fresh.put('/api/v1/inventory/settings', { costing_method: 'lifo' });
    expect(lifo.status).toBe(400);
    expect(JSON.stringify(lifo.body.error.details)).toContain('costing_method');
    expect((await fresh.put('/api/v1/inventory/settings', { costing_method: 'fifo' })).body.costing_method).toBe('fifo');
    expect((await fresh.put('/api/v1/inventory/settings', { costing_method: 'moving_average' })).body.costing_method).toBe('moving_average');
    const bad = await fresh.put('/api/v1/inventory/settings', { reservation_ttl_minutes: 0, reservation_mode: 'sometimes' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error.details)).toMatch(/reservation_ttl_minutes[\s\S]*reservation_mode|reservation_mode[\s\S]*reservation_ttl_minutes/);
    expect((await fresh.get('/api/v1/inventory/settings')).body.allow_negative_stock).toBe(true);
  });
});

describe('tenant isolation of stock', () => {
  it('another tenant can neither see nor move this tenant’s stock', async () => {
    const p = await stockedProduct(api, t, 7);
    const other = await createTenant(s.app);
    const them = as(s, other);
    expect((await them.get(`/api/v1/inventory/stock/${t.outletId}/${p.variantId}`)).status).toBe(404);
    const adj = await them.post('/api/v1/inventory/adjustments', { location_id: t.outletId, variant_id: p.variantId, quantity: -7 });
    expect(adj.status).toBe(404);
    expect((await them.patch(`/api/v1/inventory/stock/${t.outletId}/${p.variantId}`, { reorder_point: 1 })).status).toBe(404);
    expect((await them.get(`/api/v1/inventory/stock?location_id=${t.outletId}`)).body.items).toEqual([]);
    expect((await them.get(`/api/v1/inventory/movements?variant_id=${p.variantId}`)).body.items).toEqual([]);
    expect((await them.get(`/api/v1/inventory/locations/${t.outletId}/valuation`)).status).toBe(404);
    expect(await stockOf(api, t.outletId, p.variantId)).toMatchObject({ on_hand: 7 });
  });
});
