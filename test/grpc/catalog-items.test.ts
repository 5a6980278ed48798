import type { Client } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/platform/ids.js';
import { ok, rpc, startTestGrpcServer, type Body, type TestGrpcServer } from '../support/grpc.js';
import { createTenant, type TestTenant } from '../support/server.js';

/** pos.v1.CatalogService categories, products, variants, lookup, search and the change feed, over the wire. */
let s: TestGrpcServer;
let catalog: Client;
beforeAll(async () => {
  s = await startTestGrpcServer();
  catalog = s.client('CatalogService');
});
afterAll(() => s.stop());

const as = (t: TestTenant) => ({
  ok: (method: string, req: object = {}, md: Record<string, string> = {}): Promise<Body> => ok(rpc(catalog, method, req, { ...t.devHeaders, ...md })),
  fail: async (method: string, req: object = {}) => {
    const r = await rpc(catalog, method, req, t.devHeaders);
    if (r.ok) throw new Error(`${method} succeeded: ${JSON.stringify(r.body)}`);
    return { code: r.codeName, reason: r.details?.errorInfo?.reason, info: r.details?.errorInfo, fields: (r.details?.fieldViolations ?? []).map((f) => f.field), message: r.message };
  },
});
const sku = (p: string) => `${p}-${uuidv7().slice(-8)}`.toUpperCase();

describe('gRPC categories', () => {
  it('nests, lists top-level ones, moves a child to the top with clear_fields, and archives', async () => {
    const c = as(await createTenant(s.app));
    const food = (await c.ok('CreateCategory', { name: 'Food', sort_order: 2, color: '#AA3300' })).category;
    const pastry = (await c.ok('CreateCategory', { name: 'Pastry', parent_id: food.id })).category;
    expect(pastry).toMatchObject({ parent_id: food.id, sort_order: 0, active: true });
    expect((await c.ok('ListCategories', { parent_id: 'none' })).categories.map((x: Body) => x.name)).toEqual(['Food']);
    expect((await c.ok('ListCategories', { parent_id: food.id })).categories.map((x: Body) => x.name)).toEqual(['Pastry']);

    const moved = (await c.ok('UpdateCategory', { id: pastry.id, name: 'Pastries', clear_fields: ['parent_id'] })).category;
    expect(moved).toMatchObject({ name: 'Pastries', sort_order: 0 });
    expect(moved.parent_id).toBeUndefined();
    expect((await c.ok('UpdateCategory', { id: food.id, active: false })).category).toMatchObject({ active: false, color: '#AA3300' });

    const archived = (await c.ok('DeleteCategory', { id: pastry.id })).category;
    expect(archived).toMatchObject({ id: pastry.id, active: false, archived_at: expect.any(String) });
    expect((await c.ok('GetCategory', { id: pastry.id })).category.archived_at).toBe(archived.archived_at);
    expect((await c.ok('ListCategories')).categories.map((x: Body) => x.name)).toEqual(['Food']);
    expect((await c.ok('ListCategories', { include_archived: true })).categories.map((x: Body) => x.name).sort()).toEqual(['Food', 'Pastries']);
  });

  it('refuses bad input naming the field: a filter id, a cycle, a field it cannot clear', async () => {
    const c = as(await createTenant(s.app));
    expect(await c.fail('ListCategories', { parent_id: 'nope' })).toMatchObject({ code: 'INVALID_ARGUMENT', fields: ['parent_id'] });
    const a = (await c.ok('CreateCategory', { name: 'A' })).category;
    const b = (await c.ok('CreateCategory', { name: 'B', parent_id: a.id })).category;
    expect(await c.fail('UpdateCategory', { id: a.id, parent_id: b.id })).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'CATEGORY_CYCLE' });
    expect(await c.fail('UpdateCategory', { id: a.id, clear_fields: ['name'] })).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'VALIDATION_FAILED', fields: ['clear_fields'] });
    expect(await c.fail('UpdateCategory', { id: a.id, color: '#000000', clear_fields: ['color'] })).toMatchObject({ fields: ['clear_fields'], message: /color is both set and cleared/ });
    expect(await c.fail('CreateCategory', { name: ' ', color: 'red' })).toMatchObject({ code: 'INVALID_ARGUMENT', fields: ['name', 'color'] });
  });
});

describe('gRPC products and variants', () => {
  it('creates a product with typed variants, updates it, clears its tags and SKU, and pages variants', async () => {
    const c = as(await createTenant(s.app));
    const code = sku('TEE');
    const created = (
      await c.ok('CreateProduct', {
        name: 'T-shirt',
        sku: code,
        type: 'STANDARD',
        tags: ['apparel', 'summer'],
        variants: [
          { name: 'S', sku: `${code}-S`, options: { size: 'S' }, cost: '45000', barcodes: [`${code}-BC-S`] },
          { name: 'M', sku: `${code}-M`, options: { size: 'M' }, sort_order: 1 },
        ],
      })
    ).product;
    expect(created).toMatchObject({ name: 'T-shirt', sku: code, type: 'STANDARD', tags: ['apparel', 'summer'], track_stock: true });
    expect(created.variants.map((v: Body) => [v.name, v.options, v.cost, v.barcodes])).toEqual([
      ['S', { size: 'S' }, '45000', [`${code}-BC-S`]],
      ['M', { size: 'M' }, undefined, []], // an unset optional field: REST's null
    ]);

    const service = (await c.ok('UpdateProduct', { id: created.id, type: 'SERVICE', track_stock: false, clear_fields: ['tags', 'sku'] })).product;
    expect(service).toMatchObject({ type: 'SERVICE', track_stock: false, tags: [] });
    expect(service.sku).toBeUndefined();

    const [small, medium] = created.variants;
    const updated = (await c.ok('UpdateVariant', { id: small.id, cost: '47500', barcodes: [`${code}-NEW`], clear_fields: ['options'] })).variant;
    expect(updated).toMatchObject({ cost: '47500', barcodes: [`${code}-NEW`], options: {} });
    expect((await c.ok('UpdateVariant', { id: small.id, clear_fields: ['cost', 'barcodes'] })).variant).toMatchObject({ barcodes: [] });
    expect((await c.ok('GetVariant', { id: small.id })).variant.cost).toBeUndefined();

    const page = await c.ok('ListVariants', { product_id: created.id, pagination: { page_size: 1 } });
    expect([page.variants.map((v: Body) => v.id), page.pagination]).toEqual([[small.id], { next_page_token: small.id, total_count: 1 }]);
    const next = await c.ok('ListVariants', { product_id: created.id, pagination: { page_size: 1, page_token: page.pagination.next_page_token } });
    expect([next.variants.map((v: Body) => v.id), next.pagination.next_page_token]).toEqual([[medium.id], '']);

    expect((await c.ok('DeleteVariant', { id: medium.id })).variant.archived_at).toEqual(expect.any(String));
    expect(await c.fail('DeleteVariant', { id: small.id })).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'VARIANT_LAST_ACTIVE' });
    expect((await c.ok('GetProduct', { id: created.id })).product.variants.map((v: Body) => v.id)).toEqual([small.id]);
    expect((await c.ok('GetProduct', { id: created.id, include_archived_variants: true })).product.variants.map((v: Body) => v.id)).toEqual([small.id, medium.id]);
  });

  it('lists by category, searches by name with a typo, and refuses a search without words', async () => {
    const c = as(await createTenant(s.app));
    const drinks = (await c.ok('CreateCategory', { name: 'Drinks' })).category;
    await c.ok('CreateProduct', { name: 'Es Teh Manis', category_id: drinks.id });
    await c.ok('CreateProduct', { name: 'Kopi Susu', category_id: drinks.id });
    await c.ok('CreateProduct', { name: 'Nasi Goreng' });
    expect((await c.ok('ListProducts', { category_id: drinks.id })).products.map((p: Body) => p.name)).toEqual(['Es Teh Manis', 'Kopi Susu']);
    expect((await c.ok('SearchProducts', { q: 'kopi sus' })).products.map((p: Body) => p.name)[0]).toBe('Kopi Susu');
    expect((await c.ok('SearchProducts', { q: 'nasi grng' })).products.map((p: Body) => p.name)[0]).toBe('Nasi Goreng');
    expect((await c.ok('ListProducts', { q: 'teh' })).products.map((p: Body) => p.name)).toEqual(['Es Teh Manis']);
    expect(await c.fail('SearchProducts', {})).toMatchObject({ code: 'INVALID_ARGUMENT', fields: ['q'] });
    expect(await c.fail('ListProducts', { available_at: 'outlet-1' })).toMatchObject({ code: 'INVALID_ARGUMENT', fields: ['available_at'] });
  });

  it('looks up a barcode or a SKU, upper-casing what it matched by', async () => {
    const c = as(await createTenant(s.app));
    const code = sku('WTR');
    const p = (await c.ok('CreateProduct', { name: 'Water', variants: [{ name: '600 ml', sku: `${code}-600`, barcodes: [`${code}0600`] }] })).product;
    expect(await c.ok('LookupByBarcode', { code: `${code}0600` })).toMatchObject({ matched_by: 'BARCODE', variant_id: p.variants[0].id, product: { id: p.id, type: 'STANDARD' } });
    expect(await c.ok('LookupByBarcode', { code: `${code}-600` })).toMatchObject({ matched_by: 'VARIANT_SKU', variant_id: p.variants[0].id });
    expect(await c.fail('LookupByBarcode', {})).toMatchObject({ code: 'INVALID_ARGUMENT', fields: ['code'] });
  });

  it('replays a create repeated with its idempotency_key field, and refuses the key for another body', async () => {
    const c = as(await createTenant(s.app));
    const key = `catalog-${uuidv7()}`;
    const first = (await c.ok('CreateProduct', { name: 'Once', idempotency_key: key })).product;
    expect((await c.ok('CreateProduct', { name: 'Once', idempotency_key: key })).product).toEqual(first);
    expect(await c.fail('CreateProduct', { name: 'Twice', idempotency_key: key })).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'IDEMPOTENCY_KEY_REUSED' });
    expect((await c.ok('ListProducts')).products).toHaveLength(1);
  });
});

describe('gRPC catalog errors', () => {
  it('carries the catalog code in ErrorInfo, with the field it blames', async () => {
    const c = as(await createTenant(s.app));
    const code = sku('DUP');
    await c.ok('CreateProduct', { name: 'One', sku: code });
    const dup = await c.fail('CreateProduct', { name: 'Two', sku: code });
    expect(dup).toMatchObject({ code: 'ALREADY_EXISTS', reason: 'SKU_TAKEN', fields: ['sku'], info: { domain: 'kasir', metadata: { field: 'sku', sku: code } } });
    const nested = await c.fail('CreateProduct', { name: 'Three', variants: [{ name: 'x', sku: code }] });
    expect(nested).toMatchObject({ code: 'ALREADY_EXISTS', reason: 'SKU_TAKEN', info: { metadata: { field: 'variants.0.sku' } } });
    for (const [method, reason] of [
      ['GetCategory', 'CATEGORY_NOT_FOUND'],
      ['GetProduct', 'PRODUCT_NOT_FOUND'],
      ['GetVariant', 'VARIANT_NOT_FOUND'],
    ] as const) {
      expect(await c.fail(method, { id: uuidv7() })).toMatchObject({ code: 'NOT_FOUND', reason, info: { domain: 'kasir' } });
    }
    expect(await c.fail('LookupByBarcode', { code: 'NOTHING-HERE' })).toMatchObject({ code: 'NOT_FOUND', reason: 'CATALOG_CODE_NOT_FOUND' });
    expect(await c.fail('GetProduct', { id: 'not-a-uuid' })).toMatchObject({ code: 'INVALID_ARGUMENT', fields: ['id'] });
    expect(await c.fail('GetCatalogChanges', { since: 'garbage' })).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'INVALID_CHANGE_CURSOR' });
    const archived = (await c.ok('CreateProduct', { name: 'Old' })).product;
    await c.ok('DeleteProduct', { id: archived.id });
    expect(await c.fail('UpdateProduct', { id: archived.id, name: 'New' })).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'PRODUCT_ARCHIVED' });
  });

  it('answers another tenant NOT_FOUND where a request names a product or variant by another field', async () => {
    const [a, b] = [as(await createTenant(s.app)), as(await createTenant(s.app))];
    const p = (await a.ok('CreateProduct', { name: 'Mine', variants: [{ name: 'Cup' }] })).product;
    expect(await b.fail('CreateVariant', { product_id: p.id, name: 'Theirs' })).toMatchObject({ code: 'NOT_FOUND', reason: 'PRODUCT_NOT_FOUND' });
    expect(await b.fail('ListVariants', { product_id: p.id })).toMatchObject({ code: 'NOT_FOUND', reason: 'PRODUCT_NOT_FOUND' });
    expect((await a.ok('GetProduct', { id: p.id })).product.variants).toHaveLength(1);
  });
});

describe('gRPC catalog change feed', () => {
  it('syncs every change as JSON rows, then continues from the cursor with only what changed since', async () => {
    const c = as(await createTenant(s.app));
    const cat = (await c.ok('CreateCategory', { name: 'Sync' })).category;
    const p = (await c.ok('CreateProduct', { name: 'Synced', category_id: cat.id, variants: [{ name: 'Cup' }] })).product;
    const full = await c.ok('GetCatalogChanges', { limit: 1000 });
    expect(full.has_more).toBe(false);
    const byType = (changes: Body[]) => Object.fromEntries(changes.map((x) => [`${x.type}:${x.id}`, x]));
    const seen = byType(full.changes);
    expect(JSON.parse(seen[`category:${cat.id}`].data_json)).toMatchObject({ id: cat.id, name: 'Sync' });
    expect(JSON.parse(seen[`product:${p.id}`].data_json)).toMatchObject({ id: p.id, name: 'Synced', category_id: cat.id });
    expect(seen[`variant:${p.variants[0].id}`]).toMatchObject({ op: 'upsert', seq: expect.stringMatching(/^\d+$/) });

    await c.ok('DeleteVariant', { id: (await c.ok('CreateVariant', { product_id: p.id, name: 'Mug' })).variant.id });
    const next = await c.ok('GetCatalogChanges', { since: full.next_cursor });
    expect(next.changes.map((x: Body) => [x.type, x.op])).toContainEqual(['variant', 'upsert']);
    expect(next.changes.every((x: Body) => BigInt(x.seq) > BigInt(full.changes.at(-1).seq))).toBe(true);
    expect(await c.fail('GetCatalogChanges', { limit: 5001 })).toMatchObject({ code: 'INVALID_ARGUMENT', fields: ['limit'] });
  });
});
