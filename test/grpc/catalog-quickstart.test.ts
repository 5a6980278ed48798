import type protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDevTenant } from '../../src/flows/provision-tenant.js';
import { startTestGrpcServer, type TestGrpcServer } from '../support/grpc.js';
import { call } from '../support/server.js';
import { fromProtoJson } from './proto-json.js';
import { callUnary, filesFor, rootFrom } from './reflection-client.js';

/**
 * Seed 000's quick start, steps 1–4, run as its reader would run them: a client with no proto files (it learns
 * every type from server reflection, as grpcurl does), the seed's -H headers and -d JSON exactly as printed,
 * only <category_id>, <product_id> and <variant_id> filled in from the previous responses, against the seed's
 * development tenant. Steps 5–6 (SalesService) belong in this same test once sales is served over gRPC: test
 * files share their worker's database, and the development tenant can hold ICE-LATTE-001 only once.
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

let s: TestGrpcServer;
const roots = new Map<string, protobuf.Root>();

beforeAll(async () => {
  s = await startTestGrpcServer();
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

describe('seed 000 quick start, steps 1–4, over reflection only', () => {
  it('checks health, creates Beverages, the Iced Latte in it, its Regular variant, and prices it at Rp 25,000', async () => {
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
  });
});
