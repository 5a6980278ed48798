import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, rpc, startTestGrpcServer, type TestGrpcServer } from '../support/grpc.js';
import { createTenant, type TestTenant } from '../support/server.js';

/** pos.v1.InventoryService: the same service as REST, with upper-case enum names, proto3 optionals and idempotent writes. */
let s: TestGrpcServer;
let t: TestTenant;
let variantId: string;
let inv: ReturnType<TestGrpcServer['client']>;

beforeAll(async () => {
  s = await startTestGrpcServer();
  t = await createTenant(s.app);
  inv = s.client('InventoryService');
  const catalog = s.client('CatalogService');
  const product = await ok(rpc(catalog, 'CreateProduct', { name: 'Kopi Susu', variants: [{ name: 'Cup' }] }, t.devHeaders));
  variantId = product.product.variants[0].id;
  await ok(rpc(catalog, 'SetPrice', { variant_id: variantId, amount: '2000000', currency: 'IDR' }, t.devHeaders));
});
afterAll(() => s.stop());

describe('InventoryService over gRPC', () => {
  it('settings, locations, adjustments, levels and the ledger', async () => {
    const set = await ok(rpc(inv, 'UpdateInventorySettings', { allow_negative_stock: false, reservation_mode: 'RESERVE_ON_ADD' }, t.devHeaders));
    expect(set.settings).toMatchObject({ allow_negative_stock: false, reservation_mode: 'RESERVE_ON_ADD', costing_method: 'MOVING_AVERAGE' });
    await ok(rpc(inv, 'UpdateInventorySettings', { reservation_mode: 'CONSUME_ON_COMPLETION' }, t.devHeaders));

    const locs = await ok(rpc(inv, 'ListLocations', {}, t.devHeaders));
    expect(locs.locations).toContainEqual(expect.objectContaining({ id: t.outletId, kind: 'OUTLET', is_default: true }));
    const wh = await ok(rpc(inv, 'CreateLocation', { name: 'Gudang', kind: 'WAREHOUSE' }, t.devHeaders));
    expect(wh.location).toMatchObject({ name: 'Gudang', kind: 'WAREHOUSE', archived: false });

    const adj = await ok(rpc(inv, 'AdjustStock', { location_id: t.outletId, variant_id: variantId, quantity: 12, type: 'PURCHASE_RECEIPT', unit_cost: '5000', idempotency_key: 'recv-1' }, t.devHeaders));
    expect(adj.stock_level).toMatchObject({ on_hand: 12, available: 12, unit_cost: '5000' });
    expect(adj.movement).toMatchObject({ type: 'PURCHASE_RECEIPT', quantity: 12, unit_cost: '5000' });
    const again = await ok(rpc(inv, 'AdjustStock', { location_id: t.outletId, variant_id: variantId, quantity: 12, type: 'PURCHASE_RECEIPT', unit_cost: '5000', idempotency_key: 'recv-1' }, t.devHeaders));
    expect(again.movement.id).toBe(adj.movement.id);

    const th = await ok(rpc(inv, 'SetStockThresholds', { location_id: t.outletId, variant_id: variantId, reorder_point: 4 }, t.devHeaders));
    expect(th.stock_level).toMatchObject({ reorder_point: 4, on_hand: 12 });
    const got = await ok(rpc(inv, 'GetStockLevel', { location_id: t.outletId, variant_id: variantId }, t.devHeaders));
    expect(got.stock_level).toMatchObject({ on_hand: 12, reorder_point: 4 });
    const list = await ok(rpc(inv, 'ListStockLevels', { location_id: t.outletId }, t.devHeaders));
    expect(list.stock_levels).toHaveLength(1);
    const moves = await ok(rpc(inv, 'ListStockMovements', { variant_id: variantId }, t.devHeaders));
    expect(moves.movements).toHaveLength(1);
    const val = await ok(rpc(inv, 'GetLocationValuation', { location_id: t.outletId }, t.devHeaders));
    expect(val).toMatchObject({ value: '60000', units: 12 });
  });

  it('refuses bad input naming the field, and too little stock with STOCK_INSUFFICIENT', async () => {
    const zero = await rpc(inv, 'AdjustStock', { location_id: t.outletId, variant_id: variantId, quantity: 0 }, t.devHeaders);
    expect(zero.ok || [zero.code, JSON.stringify(zero.details)]).toEqual([status.INVALID_ARGUMENT, expect.stringContaining('quantity')]);
    const badLoc = await rpc(inv, 'GetStockLevel', { location_id: 'x', variant_id: variantId }, t.devHeaders);
    expect(badLoc.ok || [badLoc.code, JSON.stringify(badLoc.details)]).toEqual([status.INVALID_ARGUMENT, expect.stringContaining('location_id')]);
    const tooMuch = await rpc(inv, 'AdjustStock', { location_id: t.outletId, variant_id: variantId, quantity: -1000, type: 'WASTE' }, t.devHeaders);
    expect(tooMuch.ok || [tooMuch.code, tooMuch.details?.errorInfo?.reason]).toEqual([status.FAILED_PRECONDITION, 'STOCK_INSUFFICIENT']);
  });
});
