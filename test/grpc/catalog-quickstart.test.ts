import type protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDevTenant } from '../../src/flows/provision-tenant.js';
import { salesRestRoutes, startTestGrpcServer, type TestGrpcServer } from '../support/grpc.js';
import { call } from '../support/server.js';
import { fromProtoJson } from './proto-json.js';
import { callUnary, filesFor, rootFrom } from './reflection-client.js';

/**
 * Seed 000's quick start, steps 1–6, run as its reader would run them: a client with no proto files (it learns
 * every type from server reflection, as grpcurl does), the seed's -H headers and -d JSON exactly as printed,
 * only <category_id>, <product_id>, <variant_id> and <order_id> filled in from the previous responses, against
 * the seed's development tenant. One test for all six steps: test files share their worker's database, and the
 * development tenant can hold ICE-LATTE-001 only once.
 */
const DEV = '00000000-0000-0000-0000-000000000001';
const SEED_HEADERS = { 'X-Dev-Tenant-Id': DEV, 'X-Dev-User-Id': DEV, 'X-Dev-Membership-Id': DEV };

/** [method, -d JSON (none for the health check), -H headers] of each grpcurl command, in the seed's order. */
const STEPS: [string, string | undefined, Record<string, string>][] = [
  ['pos.v1.HealthService/Check', undefined, {}],
  ['pos.v1.CatalogService/CreateCategory', '{"name": "Beverages", "sort_order": 1}', SEED_HEADERS],
  ['pos.v1.CatalogService/CreateProduct', '{"name": "Iced Latte", "sku": "ICE-LATTE-001", "category_id": "<category_id>"}', SEED_HEADERS],
  ['pos.v1.CatalogService/CreateVariant', '{"product_id": "<product_id>", "name": "Regular", "sku": "ICE-LATTE-001-REG"}', SEED_HEADERS],
  ['pos.v1.CatalogService/SetPrice', '{"variant_id": "<variant_id>", "amount": "2500000", "currency": "IDR"}', SEED_HEADERS],
];

/** Steps 5–6, continuing from the variant of step 4. */
const SALE_STEPS: [string, string, Record<string, string>][] = [
  ['pos.v1.SalesService/CreateOrder', '{}', SEED_HEADERS],
  ['pos.v1.SalesService/AddOrderItem', '{"order_id": "<order_id>", "product_id": "<product_id>", "variant_id": "<variant_id>", "quantity": 2}', SEED_HEADERS],
  ['pos.v1.SalesService/FinalizeOrder', '{"order_id": "<order_id>"}', SEED_HEADERS],
  ['pos.v1.SalesService/AddPayment', '{"order_id": "<order_id>", "payment_type": "CASH", "amount": "5000000"}', SEED_HEADERS],
  ['pos.v1.SalesService/CompleteOrder', '{"order_id": "<order_id>"}', SEED_HEADERS],
];

let s: TestGrpcServer;
const roots = new Map<string, protobuf.Root>();

beforeAll(async () => {
  s = await startTestGrpcServer({}, [salesRestRoutes]);
  const { database, services, log } = s.app;
  await ensureDevTenant({ database, tenants: services.tenants, access: services.access, log });
});
afterAll(() => s.stop());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a response is whatever the reflected message says; the test asserts on its fields
type Json = any;

/** `grpcurl -plaintext [-H …] [-d '<json>'] <target> <service>/<method>`: types from reflection, JSON parsed as strictly as grpcurl does. */
async function grpcurl(path: string, data: string | undefined, headers: Record<string, string>): Promise<Json> {
  const [service, method] = path.split('/') as [string, string];
  if (!roots.has(service)) roots.set(service, rootFrom(await filesFor(s.target, service)));
  const root = roots.get(service)!;
  const type = (root.lookupService(service).methods[method]!.resolve() as protobuf.Method).resolvedRequestType!;
  return callUnary(s.target, root, service, method, fromProtoJson(type, data === undefined ? {} : (JSON.parse(data) as Record<string, unknown>)), headers);
}

describe('seed 000 quick start, steps 1–6, over reflection only', () => {
  it('checks health, creates Beverages, the Iced Latte in it, its Regular variant, prices it at Rp 25,000, then sells two for Rp 50,000 cash', async () => {
    const ids: Record<string, string> = {};
    const responses: Json[] = [];
    for (const [path, data, headers] of STEPS) {
      const filled = data?.replace(/<(\w+)>/g, (_m, name: string) => ids[name] ?? `<missing ${name}>`);
      const r = await grpcurl(path, filled, headers);
      responses.push(r);
      if (r.category) ids.category_id = r.category.id;
      if (r.product) ids.product_id = r.product.id;
      if (r.variant) ids.variant_id = r.variant.id;
    }
    const [health, category, product, variant, price] = responses;
    expect(health).toMatchObject({ status: 'SERVING' });
    expect(category.category).toMatchObject({ name: 'Beverages', sort_order: 1, active: true });
    expect(product.product).toMatchObject({ name: 'Iced Latte', sku: 'ICE-LATTE-001', category_id: ids.category_id, type: 'STANDARD' });
    expect(variant.variant).toMatchObject({ product_id: ids.product_id, name: 'Regular', sku: 'ICE-LATTE-001-REG', active: true });
    expect(price.price).toMatchObject({ variant_id: ids.variant_id, amount: '2500000', currency: 'IDR', is_default: true });

    // The product has exactly the variant the user created (the placeholder "Regular" made with the product is gone) …
    const got = await grpcurl('pos.v1.CatalogService/GetProduct', JSON.stringify({ id: ids.product_id }), SEED_HEADERS);
    expect(got.product.variants.map((v: Json) => [v.id, v.name, v.sku])).toEqual([[ids.variant_id, 'Regular', 'ICE-LATTE-001-REG']]);
    // … priced 2500000 IDR, in the default book only …
    const prices = await grpcurl('pos.v1.CatalogService/GetVariantPrices', JSON.stringify({ variant_id: ids.variant_id }), SEED_HEADERS);
    expect(prices.prices.map((p: Json) => [p.amount, p.currency, p.is_default])).toEqual([['2500000', 'IDR', true]]);
    const resolved = await grpcurl('pos.v1.CatalogService/ResolvePrices', JSON.stringify({ variant_ids: [ids.variant_id] }), SEED_HEADERS);
    expect(resolved.items).toEqual([{ variant_id: ids.variant_id, price: expect.objectContaining({ amount: '2500000', currency: 'IDR' }) }]);

    // … and REST sees the same catalog in the same tenant.
    const rest = { 'x-dev-tenant-id': DEV, 'x-dev-user-id': DEV, 'x-dev-membership-id': DEV };
    const viaRest = await call(s.baseUrl, 'GET', `/api/v1/products/${ids.product_id}`, { headers: rest });
    expect(viaRest.status).toBe(200);
    expect(viaRest.body).toMatchObject({ name: 'Iced Latte', sku: 'ICE-LATTE-001', category_id: ids.category_id });
    expect(viaRest.body.variants.map((v: Json) => v.id)).toEqual([ids.variant_id]);
    const restPrice = await call(s.baseUrl, 'GET', `/api/v1/variants/${ids.variant_id}/price`, { headers: rest });
    expect([restPrice.status, restPrice.body.amount, restPrice.body.currency]).toEqual([200, 2500000, 'IDR']);

    // 5–6: a draft at the dev tenant's default outlet, 2 × Iced Latte Regular, finalized, paid 5000000 in cash, completed.
    const sale: Json[] = [];
    for (const [path, data, headers] of SALE_STEPS) {
      const r = await grpcurl(path, data.replace(/<(\w+)>/g, (_m, name: string) => ids[name] ?? `<missing ${name}>`), headers);
      sale.push(r);
      ids.order_id ??= r.order.id;
    }
    const [created, added, finalized, paid, completed] = sale;
    expect(created.order).toMatchObject({ status: 'DRAFT', payment_status: 'UNPAID', currency: 'IDR', version: 1, total: '0', items: [] });
    expect(created.order.outlet_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(added.order.items).toEqual([
      expect.objectContaining({ product_id: ids.product_id, variant_id: ids.variant_id, name: 'Iced Latte', variant_name: 'Regular', sku: 'ICE-LATTE-001-REG', quantity: 2, unit_price: '2500000', total: '5000000' }),
    ]);
    expect(finalized.order).toMatchObject({ status: 'OPEN', subtotal: '5000000', total: '5000000', balance_due: '5000000', finalized_at: expect.any(String) });
    expect(paid.payment).toMatchObject({ tender_type: 'CASH', status: 'CAPTURED', amount: '5000000', tendered: '5000000', change: '0' });
    expect(paid.order).toMatchObject({ status: 'OPEN', payment_status: 'PAID', paid_total: '5000000', balance_due: '0' });
    // The completed order shows the change due: none, for 5000000 handed over against 2 × 2500000.
    expect(completed.order).toMatchObject({
      id: ids.order_id,
      status: 'COMPLETED',
      payment_status: 'PAID',
      total: '5000000',
      paid_total: '5000000',
      change_due: '0',
      balance_due: '0',
      receipt_number: expect.stringMatching(/^[A-Z0-9]+-\d{6}$/),
      completed_at: expect.any(String),
    });

    // GetOrder and REST read back the same completed sale.
    const readBack = await grpcurl('pos.v1.SalesService/GetOrder', JSON.stringify({ order_id: ids.order_id }), SEED_HEADERS);
    expect(readBack.order).toMatchObject({ status: 'COMPLETED', receipt_number: completed.order.receipt_number, change_due: '0', payments: [expect.objectContaining({ tender_type: 'CASH', amount: '5000000' })] });
    const restOrder = await call(s.baseUrl, 'GET', `/api/v1/orders/${ids.order_id}`, { headers: rest });
    expect(restOrder.body).toMatchObject({ status: 'COMPLETED', payment_status: 'PAID', total: 5000000, change_due: 0, receipt_number: completed.order.receipt_number });
  });
});
