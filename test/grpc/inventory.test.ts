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

  it('purchase orders, transfers and counts; another tenant cannot act on them', async () => {
    const other = await createTenant(s.app);
    const sup = await ok(rpc(inv, 'CreateSupplier', { name: 'CV Susu Segar' }, t.devHeaders));
    const po = await ok(rpc(inv, 'CreatePurchaseOrder', { supplier_id: sup.supplier.id, location_id: t.outletId, lines: [{ variant_id: variantId, quantity: 5, unit_cost: '5000' }] }, t.devHeaders));
    expect(po.purchase_order).toMatchObject({ status: 'DRAFT', total_cost: '25000' });
    const theirs = await rpc(inv, 'OrderPurchaseOrder', { purchase_order_id: po.purchase_order.id }, other.devHeaders);
    expect(theirs.ok || theirs.code).toBe(status.NOT_FOUND);
    await ok(rpc(inv, 'OrderPurchaseOrder', { purchase_order_id: po.purchase_order.id }, t.devHeaders));
    const over = await rpc(inv, 'ReceivePurchaseOrder', { purchase_order_id: po.purchase_order.id, lines: [{ variant_id: variantId, quantity: 6 }] }, t.devHeaders);
    expect(over.ok || [over.code, over.details?.errorInfo?.reason]).toEqual([status.INVALID_ARGUMENT, 'PURCHASE_ORDER_OVER_RECEIPT']);
    const got = await ok(rpc(inv, 'ReceivePurchaseOrder', { purchase_order_id: po.purchase_order.id, lines: [{ variant_id: variantId, quantity: 5 }] }, t.devHeaders));
    expect(got.purchase_order).toMatchObject({ status: 'RECEIVED', lines: [{ quantity_received: 5 }] });

    const wh = await ok(rpc(inv, 'CreateLocation', { name: 'Gudang 2', kind: 'WAREHOUSE' }, t.devHeaders));
    const tr = await ok(rpc(inv, 'CreateTransfer', { from_location_id: t.outletId, to_location_id: wh.location.id, lines: [{ variant_id: variantId, quantity: 3 }] }, t.devHeaders));
    const ship = await rpc(inv, 'ShipTransfer', { transfer_id: tr.transfer.id }, other.devHeaders);
    expect(ship.ok || ship.code).toBe(status.NOT_FOUND);
    await ok(rpc(inv, 'ShipTransfer', { transfer_id: tr.transfer.id }, t.devHeaders));
    const rec = await ok(rpc(inv, 'ReceiveTransfer', { transfer_id: tr.transfer.id }, t.devHeaders));
    expect(rec.transfer).toMatchObject({ status: 'RECEIVED', lines: [{ quantity_received: 3, discrepancy: 0 }] });

    const c = await ok(rpc(inv, 'CreateStockCount', { location_id: wh.location.id, blind: true }, t.devHeaders));
    expect(c.stock_count.lines[0].expected).toBeUndefined();
    const post = await rpc(inv, 'PostStockCount', { stock_count_id: c.stock_count.id }, other.devHeaders);
    expect(post.ok || post.code).toBe(status.NOT_FOUND);
    await ok(rpc(inv, 'RecordStockCount', { stock_count_id: c.stock_count.id, lines: [{ variant_id: variantId, counted: 2 }] }, t.devHeaders));
    const posted = await ok(rpc(inv, 'PostStockCount', { stock_count_id: c.stock_count.id }, t.devHeaders));
    expect(posted.stock_count).toMatchObject({ status: 'POSTED', lines: [{ expected: 3, counted: 2, variance: -1 }] });
    const level = await ok(rpc(inv, 'GetStockLevel', { location_id: wh.location.id, variant_id: variantId }, t.devHeaders));
    expect(level.stock_level.on_hand).toBe(2);
  });
});
