import { status } from '@grpc/grpc-js';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POS_PROTO_FILES, PROTO_DIR } from '../../src/adapters/grpc/protos.js';
import { IMPLEMENTED_RPCS } from '../../src/adapters/grpc/server.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { ok, rpc, startTestGrpcServer, type TestGrpcServer } from '../support/grpc.js';
import { makeImage, uploadForm } from '../support/images.js';
import { createTenant, type TestTenant } from '../support/server.js';

/**
 * Generated from IMPLEMENTED_RPCS, so a new RPC is covered the day it is added: every tenant RPC refuses a call
 * without credentials, every platform RPC one without the key, and every RPC naming a resource by id (or an
 * order by order_id) answers another tenant NOT_FOUND and changes nothing. A new resource without a sample below
 * fails the test.
 */
const root = new protobuf.Root();
root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
root.loadSync(POS_PROTO_FILES, { keepCase: true }).resolveAll();
const requestOf = (path: string) => {
  const [service, method] = path.slice(1).split('/') as [string, string];
  return (root.lookupService(service).methods[method]!.resolve() as protobuf.Method).resolvedRequestType!;
};
const clientFor = (s: TestGrpcServer, path: string) => s.client(path.slice(1).split('/')[0]!.replace('pos.v1.', ''));
const methodOf = (path: string) => path.split('/')[2]!;

let s: TestGrpcServer;
let a: TestTenant;
let b: TestTenant;
const samples: Record<string, string> = {};

beforeAll(async () => {
  s = await startTestGrpcServer();
  [a, b] = [await createTenant(s.app), await createTenant(s.app)];
  const staff = s.client('StaffService');
  const role = await ok(rpc(staff, 'CreateRole', { key: 'auditor', name: 'Auditor', level: 5, permissions: ['pos:settings:read'] }, a.devHeaders));
  const member = await ok(rpc(staff, 'CreateStaffMember', { user_id: uuidv7(), role_id: role.role.id, display_name: 'Audit' }, a.devHeaders));
  const key = await ok(rpc(staff, 'CreateApiKey', { name: 'A only', permissions: ['pos:settings:read'] }, a.devHeaders));
  Object.assign(samples, { Outlet: a.outletId, Role: role.role.id, StaffMember: member.staff_member.id, ApiKey: key.api_key.id });
  const catalog = s.client('CatalogService');
  const category = await ok(rpc(catalog, 'CreateCategory', { name: 'Drinks' }, a.devHeaders));
  const product = await ok(rpc(catalog, 'CreateProduct', { name: 'Tea', category_id: category.category.id, variants: [{ name: 'Cup' }] }, a.devHeaders));
  const book = await ok(rpc(catalog, 'CreatePriceBook', { name: 'Happy hour', hours_start: '16:00', hours_end: '18:00' }, a.devHeaders));
  const group = await ok(rpc(catalog, 'CreateModifierGroup', { name: 'Milk', modifiers: [{ name: 'Oat', price_delta: '500000' }] }, a.devHeaders));
  const taxCategory = await ok(rpc(catalog, 'CreateTaxCategory', { code: 'FOOD', name: 'Food' }, a.devHeaders));
  const taxRule = await ok(rpc(catalog, 'CreateTaxRule', { name: 'PB1', rate_bps: 1000 }, a.devHeaders));
  Object.assign(samples, {
    Category: category.category.id,
    Product: product.product.id,
    Variant: product.product.variants[0].id,
    PriceBook: book.price_book.id,
    ModifierGroup: group.modifier_group.id,
    Modifier: group.modifier_group.modifiers[0].id,
    TaxCategory: taxCategory.tax_category.id,
    TaxRule: taxRule.tax_rule.id,
  });
  const image = await uploadForm(`${s.baseUrl}/api/v1/products/${samples.Product}/images`, a.devHeaders, { data: await makeImage('png', 64, 48), filename: 'tea.png', type: 'image/png' });
  expect(image.status).toBe(201);
  samples.Image = image.body.id;
  // An OPEN order of A with a line and part paid in cash, so that every order RPC has something to touch.
  const sales = s.client('SalesService');
  await ok(rpc(catalog, 'SetPrice', { variant_id: samples.Variant, amount: '1500000', currency: 'IDR' }, a.devHeaders));
  const draft = await ok(rpc(sales, 'CreateOrder', { items: [{ variant_id: samples.Variant, quantity: 2 }] }, a.devHeaders));
  await ok(rpc(sales, 'FinalizeOrder', { order_id: draft.order.id }, a.devHeaders));
  const paid = await ok(rpc(sales, 'AddPayment', { order_id: draft.order.id, payment_type: 'CASH', amount: '1000000' }, a.devHeaders));
  Object.assign(samples, { Order: draft.order.id, OrderItem: draft.order.items[0].id, Payment: paid.payment.id });
  const location = await ok(rpc(s.client('InventoryService'), 'CreateLocation', { name: 'Isolation store room', kind: 'WAREHOUSE' }, a.devHeaders));
  const inv = s.client('InventoryService');
  const supplier = await ok(rpc(inv, 'CreateSupplier', { name: 'Isolation supplier' }, a.devHeaders));
  const po = await ok(rpc(inv, 'CreatePurchaseOrder', { supplier_id: supplier.supplier.id, location_id: a.outletId, lines: [{ variant_id: samples.Variant, quantity: 2, unit_cost: '1000' }] }, a.devHeaders));
  const transfer = await ok(rpc(inv, 'CreateTransfer', { from_location_id: a.outletId, to_location_id: location.location.id, lines: [{ variant_id: samples.Variant, quantity: 1 }] }, a.devHeaders));
  const count = await ok(rpc(inv, 'CreateStockCount', { location_id: a.outletId }, a.devHeaders));
  Object.assign(samples, { Location: location.location.id, Supplier: supplier.supplier.id, PurchaseOrder: po.purchase_order.id, Transfer: transfer.transfer.id, StockCount: count.stock_count.id });
  const drawer = await ok(rpc(staff, 'OpenCashDrawer', { terminal_id: a.terminalId, opening_float: '100000' }, a.devHeaders));
  Object.assign(samples, { CashDrawer: drawer.cash_drawer.id, CashDrawerReport: drawer.cash_drawer.id, StaffProfile: member.staff_member.id });
  const customers = s.client('CustomerService');
  const customer = await ok(rpc(customers, 'CreateCustomer', { name: 'Isolated', email: 'iso@example.com' }, a.devHeaders));
  Object.assign(samples, { Customer: customer.customer.id });
  const promotions = s.client('PromotionService');
  const promotion = await ok(rpc(promotions, 'CreatePromotion', { name: 'Ten off', kind: 'percentage', rate_bp: 1000, coupon_only: true }, a.devHeaders));
  const coupon = await ok(rpc(promotions, 'CreateCoupon', { promotion_id: promotion.promotion.id, code: 'TENOFF' }, a.devHeaders));
  Object.assign(samples, { Promotion: promotion.promotion.id, Coupon: coupon.coupon.id });
});
afterAll(() => s.stop());

describe('gRPC guards, generated from the implemented RPCs', () => {
  const tenantRpcs = IMPLEMENTED_RPCS.filter((r) => r.auth === 'tenant');
  const platformRpcs = IMPLEMENTED_RPCS.filter((r) => r.auth === 'platform');

  it.each(tenantRpcs.map((r) => r.path))('%s refuses a call without credentials', async (path) => {
    const r = await rpc(clientFor(s, path), methodOf(path), {});
    expect(r.ok || [r.code, r.details?.errorInfo?.reason]).toEqual([status.UNAUTHENTICATED, 'UNAUTHENTICATED']);
  });

  it.each(platformRpcs.map((r) => r.path))('%s refuses tenant credentials instead of the platform key', async (path) => {
    const r = await rpc(clientFor(s, path), methodOf(path), {}, a.devHeaders);
    expect(r.ok || r.code).toBe(status.UNAUTHENTICATED);
  });

  it.each(tenantRpcs.filter((r) => requestOf(r.path).fields.id).map((r) => r.path))('%s answers another tenant NOT_FOUND and changes nothing', async (path) => {
    const noun = methodOf(path).replace(/^(Get|Update|Revoke|Delete)/, '');
    const id = samples[noun];
    expect(id, `add a sample ${noun} of tenant A to this test`).toBeDefined();
    const request: Record<string, unknown> = { id, name: 'Hijacked', display_name: 'Hijacked', active: false };
    const type = requestOf(path);
    for (const k of Object.keys(request)) if (!type.fields[k]) delete request[k];
    const r = await rpc(clientFor(s, path), methodOf(path), request, b.devHeaders);
    expect(r.ok || r.code).toBe(status.NOT_FOUND);
    const get = methodOf(path).replace(/^(Update|Revoke|Delete)/, 'Get');
    const mine = await ok(rpc(clientFor(s, path), get, { id }, a.devHeaders));
    const resource = Object.values(mine)[0] as { name?: string; display_name?: string; active?: boolean; revoked_at?: string; archived_at?: string };
    expect([resource.name, resource.display_name, resource.active, resource.revoked_at]).not.toContain('Hijacked');
    expect(resource.active ?? true).toBe(true);
    expect(resource.revoked_at).toBeUndefined();
    expect(resource.archived_at).toBeUndefined();
  });

  it.each(tenantRpcs.filter((r) => requestOf(r.path).fields.order_id).map((r) => r.path))('%s answers another tenant NOT_FOUND for an order and changes nothing', async (path) => {
    const sales = s.client('SalesService');
    const before = await ok(rpc(sales, 'GetOrder', { order_id: samples.Order }, a.devHeaders));
    // A request that passes validation, so that only the order's tenant can refuse it.
    const request: Record<string, unknown> = {
      order_id: samples.Order,
      item_id: samples.OrderItem,
      payment_id: samples.Payment,
      variant_id: samples.Variant,
      quantity: 1,
      payment_type: 'CASH',
      amount: '1000',
      reason: 'Hijacked',
      discount: { type: 'FIXED', amount: '1000' },
    };
    const type = requestOf(path);
    for (const k of Object.keys(request)) if (!type.fields[k]) delete request[k];
    const r = await rpc(clientFor(s, path), methodOf(path), request, b.devHeaders);
    expect(r.ok || [r.code, r.details?.errorInfo?.reason]).toEqual([status.NOT_FOUND, 'ORDER_NOT_FOUND']);
    expect(await ok(rpc(sales, 'GetOrder', { order_id: samples.Order }, a.devHeaders))).toEqual(before);
  });

  // RPCs that name a product or variant of the catalog by product_id / variant_id (availability, modifier
  // groups of a product, prices, ExplainPrice …): another tenant gets NOT_FOUND and A's catalog is unchanged.
  const byProductOrVariant = tenantRpcs.filter((r) => {
    const f = requestOf(r.path).fields;
    return (f.product_id || f.variant_id) && !f.order_id;
  });
  it.each(byProductOrVariant.map((r) => r.path))('%s answers another tenant NOT_FOUND for a product or variant and changes nothing', async (path) => {
    const catalog = s.client('CatalogService');
    const state = async () => ({
      product: await ok(rpc(catalog, 'GetProduct', { id: samples.Product }, a.devHeaders)),
      availability: await ok(rpc(catalog, 'GetProductAvailability', { product_id: samples.Product }, a.devHeaders)),
      groups: await ok(rpc(catalog, 'GetProductModifierGroups', { product_id: samples.Product }, a.devHeaders)),
      prices: await ok(rpc(catalog, 'GetVariantPrices', { variant_id: samples.Variant }, a.devHeaders)),
    });
    const before = await state();
    // Valid in every other respect (B's own outlet), so that only the catalog row's tenant can refuse it.
    const request: Record<string, unknown> = {
      product_id: samples.Product,
      variant_id: samples.Variant,
      modifier_group_id: samples.ModifierGroup,
      modifier_group_ids: [samples.ModifierGroup],
      outlet_id: b.outletId,
      // B's own stock location (an outlet's default selling location has the outlet's id), for stock RPCs.
      location_id: b.outletId,
      quantity: 1,
      reorder_point: 1,
      par_level: 2,
      reason: 'Hijacked',
      available: false,
      name: 'Hijacked',
      amount: '1',
      currency: 'IDR',
    };
    const type = requestOf(path);
    for (const k of Object.keys(request)) if (!type.fields[k]) delete request[k];
    const r = await rpc(clientFor(s, path), methodOf(path), request, b.devHeaders);
    if (methodOf(path).startsWith('List') && r.ok) {
      // A list filtered by another tenant's id is simply empty: nothing of A's may appear in it.
      expect(JSON.stringify(r.body)).not.toContain(samples.Variant);
      expect(JSON.stringify(r.body)).not.toContain(samples.Product);
    } else {
      expect(r.ok || r.code, JSON.stringify(r.ok ? r.body : r.message)).toBe(status.NOT_FOUND);
    }
    expect(await state()).toEqual(before);
  });
});
