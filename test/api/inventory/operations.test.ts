import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTenant, ledgerDrift, pricedProduct, query, setSettings, startSalesServer, stockedProduct, stockOf, type Client, type TestServer, type TestTenant } from './support.js';

let s: TestServer;
let t: TestTenant;
let api: Client;
let warehouse: string;

beforeAll(async () => {
  s = await startSalesServer();
  t = await createTenant(s.app);
  api = as(s, t);
  expect((await setSettings(api, { allow_negative_stock: false })).status).toBe(200);
  warehouse = (await api.post('/api/v1/inventory/locations', { name: 'Gudang' })).body.id;
});
afterAll(() => s.stop());

const rows = async () =>
  (await query<Record<string, number>>(s, t, sql`SELECT (SELECT count(*)::int FROM stock_movements) AS movements, (SELECT count(*)::int FROM purchase_orders) AS pos,
    (SELECT count(*)::int FROM stock_transfers) AS transfers, (SELECT count(*)::int FROM stock_counts) AS counts, (SELECT count(*)::int FROM suppliers) AS suppliers`))[0]!;

describe('purchase orders', () => {
  it('DRAFT → ORDERED → PARTIALLY_RECEIVED → RECEIVED, receipts moving stock at cost', async () => {
    const sup = await api.post('/api/v1/suppliers', { name: 'PT Kopi Nusantara', email: 'order@kopi.example' });
    expect(sup.status).toBe(201);
    const a = await pricedProduct(api);
    const b = await pricedProduct(api);
    const po = await api.post('/api/v1/purchase-orders', { supplier_id: sup.body.id, location_id: warehouse, lines: [{ variant_id: a.variantId, quantity: 10, unit_cost: 2_000 }, { variant_id: b.variantId, quantity: 5, unit_cost: 7_000 }] });
    expect(po.status).toBe(201);
    expect(po.body).toMatchObject({ status: 'DRAFT', currency: 'IDR', total_cost: 55_000 });
    const early = await api.post(`/api/v1/purchase-orders/${po.body.id}/receive`, { lines: [{ variant_id: a.variantId, quantity: 1 }] });
    expect(early.body.error.code).toBe('PURCHASE_ORDER_INVALID_TRANSITION');
    expect((await api.post(`/api/v1/purchase-orders/${po.body.id}/order`)).body.status).toBe('ORDERED');
    const part = await api.post(`/api/v1/purchase-orders/${po.body.id}/receive`, { lines: [{ variant_id: a.variantId, quantity: 4, unit_cost: 2_500 }] });
    expect(part.body).toMatchObject({ status: 'PARTIALLY_RECEIVED', lines: [{ quantity_received: 4 }, { quantity_received: 0 }] });
    expect(await stockOf(api, warehouse, a.variantId)).toMatchObject({ on_hand: 4, unit_cost: 2_500 });
    const before = await rows();
    const over = await api.post(`/api/v1/purchase-orders/${po.body.id}/receive`, { lines: [{ variant_id: b.variantId, quantity: 5 }, { variant_id: a.variantId, quantity: 7 }] });
    expect(over.status).toBe(400);
    expect(over.body.error).toMatchObject({ code: 'PURCHASE_ORDER_OVER_RECEIPT', details: { field: 'lines.1.quantity', ordered: 10, already_received: 4 } });
    expect(await rows()).toEqual(before);
    const done = await api.post(`/api/v1/purchase-orders/${po.body.id}/receive`, { lines: [{ variant_id: b.variantId, quantity: 5 }, { variant_id: a.variantId, quantity: 7 }], allow_over_receipt: true });
    expect(done.body).toMatchObject({ status: 'RECEIVED', lines: [{ quantity_received: 11, over_received: true }, { quantity_received: 5, over_received: false }] });
    expect(await stockOf(api, warehouse, b.variantId)).toMatchObject({ on_hand: 5, unit_cost: 7_000 });
    const moves = await api.get(`/api/v1/inventory/movements?reference_id=${po.body.id}`);
    expect(moves.body.items.map((m: { type: string; quantity: number }) => [m.type, m.quantity])).toEqual([['purchase_receipt', 4], ['purchase_receipt', 5], ['purchase_receipt', 7]]);
    expect((await api.post(`/api/v1/purchase-orders/${po.body.id}/cancel`)).body.error.code).toBe('PURCHASE_ORDER_INVALID_TRANSITION');
    expect(await ledgerDrift(s, t)).toEqual([]);
  });

  it('refuses bad purchase orders naming the field, writing nothing', async () => {
    const sup = await api.post('/api/v1/suppliers', { name: 'Archived supplier' });
    const p = await pricedProduct(api);
    const before = await rows();
    const cases: [Record<string, unknown>, number, string][] = [
      [{ lines: [] }, 400, 'lines'],
      [{ lines: [{ variant_id: p.variantId, quantity: -1, unit_cost: 1 }] }, 400, 'lines.0.quantity'],
      [{ lines: [{ variant_id: p.variantId, quantity: 1, unit_cost: 1 }, { variant_id: p.variantId, quantity: 2, unit_cost: 1 }] }, 400, 'lines.1.variant_id'],
      [{ lines: [{ variant_id: '01900000-0000-7000-8000-000000000009', quantity: 1, unit_cost: 1 }] }, 404, 'lines.0.variant_id'],
      [{ supplier_id: '01900000-0000-7000-8000-000000000009', lines: [{ variant_id: p.variantId, quantity: 1, unit_cost: 1 }] }, 404, 'supplier_id'],
    ];
    for (const [patch, code, field] of cases) {
      const r = await api.post('/api/v1/purchase-orders', { supplier_id: sup.body.id, location_id: warehouse, ...patch });
      expect(r.status, JSON.stringify(r.body)).toBe(code);
      expect(JSON.stringify(r.body.error.details)).toContain(field);
    }
    await api.patch(`/api/v1/suppliers/${sup.body.id}`, { archived: true });
    const archived = await api.post('/api/v1/purchase-orders', { supplier_id: sup.body.id, location_id: warehouse, lines: [{ variant_id: p.variantId, quantity: 1, unit_cost: 1 }] });
    expect(archived.body.error).toMatchObject({ code: 'SUPPLIER_ARCHIVED', details: { field: 'supplier_id' } });
    expect({ ...(await rows()), suppliers: before.suppliers }).toEqual(before);
  });
});

describe('transfers', () => {
  it('DRAFT → IN_TRANSIT → RECEIVED, with what did not arrive recorded as a discrepancy', async () => {
    const p = await stockedProduct(api, t, 10, { cost: 3_000 });
    const tr = await api.post('/api/v1/transfers', { from_location_id: t.outletId, to_location_id: warehouse, lines: [{ variant_id: p.variantId, quantity: 6 }] });
    expect(tr.status).toBe(201);
    expect(tr.body.status).toBe('DRAFT');
    const shipped = await api.post(`/api/v1/transfers/${tr.body.id}/ship`);
    expect(shipped.body).toMatchObject({ status: 'IN_TRANSIT', lines: [{ quantity: 6, unit_cost: 3_000 }] });
    expect(await stockOf(api, t.outletId, p.variantId)).toMatchObject({ on_hand: 4 });
    const got = await api.post(`/api/v1/transfers/${tr.body.id}/receive`, { lines: [{ variant_id: p.variantId, quantity: 5 }] });
    expect(got.body).toMatchObject({ status: 'RECEIVED', lines: [{ quantity_received: 5, discrepancy: 1 }] });
    expect(await stockOf(api, warehouse, p.variantId)).toMatchObject({ on_hand: 5, unit_cost: 3_000 });
    expect((await api.post(`/api/v1/transfers/${tr.body.id}/receive`, {})).body.error.code).toBe('TRANSFER_INVALID_TRANSITION');
    expect(await ledgerDrift(s, t)).toEqual([]);
  });

  it('refuses to ship from a location without the stock, and a cancel in transit puts the units back', async () => {
    const p = await stockedProduct(api, t, 2);
    const tr = await api.post('/api/v1/transfers', { from_location_id: t.outletId, to_location_id: warehouse, lines: [{ variant_id: p.variantId, quantity: 3 }] });
    const before = await rows();
    const r = await api.post(`/api/v1/transfers/${tr.body.id}/ship`);
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'STOCK_INSUFFICIENT', details: { variant_id: p.variantId } });
    expect(await rows()).toEqual(before);
    expect((await api.get(`/api/v1/transfers/${tr.body.id}`)).body.status).toBe('DRAFT');
    const ok = await api.post('/api/v1/transfers', { from_location_id: t.outletId, to_location_id: warehouse, lines: [{ variant_id: p.variantId, quantity: 2 }] });
    await api.post(`/api/v1/transfers/${ok.body.id}/ship`);
    expect(await stockOf(api, t.outletId, p.variantId)).toMatchObject({ on_hand: 0 });
    expect((await api.post(`/api/v1/transfers/${ok.body.id}/cancel`)).body.status).toBe('CANCELLED');
    expect(await stockOf(api, t.outletId, p.variantId)).toMatchObject({ on_hand: 2 });
    const same = await api.post('/api/v1/transfers', { from_location_id: warehouse, to_location_id: warehouse, lines: [{ variant_id: p.variantId, quantity: 1 }] });
    expect(same.status).toBe(400);
    expect(JSON.stringify(same.body.error.details)).toContain('to_location_id');
    expect(await ledgerDrift(s, t)).toEqual([]);
  });
});

describe('stock counts', () => {
  it('a blind full count hides expected quantities, then posts variances as count movements', async () => {
    const loc = (await api.post('/api/v1/inventory/locations', { name: `Count room ${Date.now()}` })).body.id as string;
    const a = await pricedProduct(api);
    const b = await pricedProduct(api);
    await api.post('/api/v1/inventory/adjustments', { location_id: loc, variant_id: a.variantId, quantity: 10 });
    await api.post('/api/v1/inventory/adjustments', { location_id: loc, variant_id: b.variantId, quantity: 4 });
    const c = await api.post('/api/v1/stock-counts', { location_id: loc, blind: true });
    expect(c.status).toBe(201);
    expect(c.body.lines).toHaveLength(2);
    expect(c.body.lines.every((l: { expected: number | null }) => l.expected === null)).toBe(true);
    const rec = await api.post(`/api/v1/stock-counts/${c.body.id}/lines`, { lines: [{ variant_id: a.variantId, counted: 8 }, { variant_id: b.variantId, counted: 4 }] });
    expect(rec.body.lines.every((l: { expected: number | null }) => l.expected === null)).toBe(true);
    // a sale-like movement during the count is kept: variance is counted − expected
    await api.post('/api/v1/inventory/adjustments', { location_id: loc, variant_id: a.variantId, quantity: -1 });
    const posted = await api.post(`/api/v1/stock-counts/${c.body.id}/post`);
    expect(posted.body.status).toBe('POSTED');
    expect(posted.body.lines.find((l: { variant_id: string }) => l.variant_id === a.variantId)).toMatchObject({ expected: 10, counted: 8, variance: -2 });
    expect(await stockOf(api, loc, a.variantId)).toMatchObject({ on_hand: 7 });
    expect(await stockOf(api, loc, b.variantId)).toMatchObject({ on_hand: 4 });
    const moves = await api.get(`/api/v1/inventory/movements?reference_id=${c.body.id}`);
    expect(moves.body.items).toEqual([expect.objectContaining({ type: 'count', quantity: -2, variant_id: a.variantId })]);
    expect((await api.post(`/api/v1/stock-counts/${c.body.id}/post`)).body.error.code).toBe('STOCK_COUNT_NOT_OPEN');
    expect(await ledgerDrift(s, t)).toEqual([]);
  });

  it('refuses a count on an archived variant, an unknown line and a partial count without variants', async () => {
    const p = await pricedProduct(api);
    expect((await api.post(`/api/v1/products/${p.productId}/archive`)).status).toBe(200);
    const before = await rows();
    const archived = await api.post('/api/v1/stock-counts', { location_id: warehouse, scope: 'partial', variant_ids: [p.variantId] });
    expect(archived.body.error).toMatchObject({ code: 'STOCK_VARIANT_ARCHIVED', details: { field: 'variant_ids.0' } });
    const empty = await api.post('/api/v1/stock-counts', { location_id: warehouse, scope: 'partial' });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body.error.details)).toContain('variant_ids');
    expect(await rows()).toEqual(before);
    const other = await pricedProduct(api);
    const c = await api.post('/api/v1/stock-counts', { location_id: warehouse, scope: 'partial', variant_ids: [other.variantId] });
    const stranger = await pricedProduct(api);
    const r = await api.post(`/api/v1/stock-counts/${c.body.id}/lines`, { lines: [{ variant_id: stranger.variantId, counted: 1 }] });
    expect(r.body.error).toMatchObject({ code: 'STOCK_COUNT_LINE_UNKNOWN', details: { field: 'lines.0.variant_id' } });
    const neg = await api.post(`/api/v1/stock-counts/${c.body.id}/lines`, { lines: [{ variant_id: other.variantId, counted: -1 }] });
    expect(neg.status).toBe(400);
  });
});
