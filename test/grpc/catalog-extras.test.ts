import type { Client } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/platform/ids.js';
import { ok, rpc, startTestGrpcServer, type Body, type TestGrpcServer } from '../support/grpc.js';
import { makeImage, uploadForm } from '../support/images.js';
import { createTenant, type TestTenant } from '../support/server.js';

/** pos.v1.CatalogService: availability, one modifier group, ExplainPrice, images and CSV, over the wire. */
let s: TestGrpcServer;
let catalog: Client;
beforeAll(async () => {
  s = await startTestGrpcServer();
  catalog = s.client('CatalogService');
});
afterAll(() => s.stop());

const as = (t: TestTenant) => ({
  t,
  ok: (method: string, req: object = {}): Promise<Body> => ok(rpc(catalog, method, req, t.devHeaders)),
  fail: async (method: string, req: object = {}) => {
    const r = await rpc(catalog, method, req, t.devHeaders);
    if (r.ok) throw new Error(`${method} succeeded: ${JSON.stringify(r.body)}`);
    return { code: r.codeName, reason: r.details?.errorInfo?.reason, fields: (r.details?.fieldViolations ?? []).map((f) => f.field), message: r.message };
  },
});
type As = ReturnType<typeof as>;
const product = async (c: As, name = 'Latte'): Promise<Body> => (await c.ok('CreateProduct', { name, variants: [{ name: 'Cup' }] })).product;

describe('gRPC per-outlet availability', () => {
  it('86es a product at one outlet and brings it back; lists and filters follow', async () => {
    const c = as(await createTenant(s.app));
    const p = await product(c);
    expect((await c.ok('GetProductAvailability', { product_id: p.id })).items).toEqual([]);
    const off = (await c.ok('SetProductAvailability', { product_id: p.id, outlet_id: c.t.outletId, available: false, reason: 'sold out' })).availability;
    expect(off).toMatchObject({ product_id: p.id, outlet_id: c.t.outletId, available: false, reason: 'sold out', updated_at: expect.any(String) });
    expect((await c.ok('GetProductAvailability', { product_id: p.id })).items).toEqual([off]);
    const listed = async () => (await c.ok('ListProducts', { available_at: c.t.outletId })).products.map((x: Body) => x.id);
    expect(await listed()).not.toContain(p.id);
    expect((await c.ok('SetProductAvailability', { product_id: p.id, outlet_id: c.t.outletId, available: true })).availability).toMatchObject({ available: true });
    expect(await listed()).toContain(p.id);
  });

  it('refuses an unknown outlet, a bad id, and another tenant’s product', async () => {
    const c = as(await createTenant(s.app));
    const p = await product(c);
    expect(await c.fail('SetProductAvailability', { product_id: p.id, outlet_id: uuidv7(), available: false })).toMatchObject({ code: expect.stringMatching(/INVALID_ARGUMENT|NOT_FOUND/) });
    expect(await c.fail('SetProductAvailability', { product_id: 'nope', outlet_id: c.t.outletId })).toMatchObject({ code: 'INVALID_ARGUMENT', fields: ['product_id'] });
    const other = as(await createTenant(s.app));
    expect(await other.fail('SetProductAvailability', { product_id: p.id, outlet_id: other.t.outletId, available: false })).toMatchObject({ code: 'NOT_FOUND', reason: 'PRODUCT_NOT_FOUND' });
    expect(await other.fail('GetProductAvailability', { product_id: p.id })).toMatchObject({ code: 'NOT_FOUND' });
    expect((await c.ok('GetProductAvailability', { product_id: p.id })).items).toEqual([]);
  });
});

describe('gRPC attach and detach one modifier group', () => {
  it('attaches in order, refuses a second attach, and detaches', async () => {
    const c = as(await createTenant(s.app));
    const p = await product(c, 'Kopi');
    const milk = (await c.ok('CreateModifierGroup', { name: 'Milk', modifiers: [{ name: 'Oat', price_delta: '500000' }] })).modifier_group;
    const sugar = (await c.ok('CreateModifierGroup', { name: 'Sugar' })).modifier_group;
    expect((await c.ok('AttachModifierGroup', { product_id: p.id, modifier_group_id: milk.id })).modifier_groups.map((g: Body) => g.name)).toEqual(['Milk']);
    const both = await c.ok('AttachModifierGroup', { product_id: p.id, modifier_group_id: sugar.id, sort_order: 0 });
    expect(both).toMatchObject({ product_id: p.id });
    expect(both.modifier_groups.map((g: Body) => g.name).sort()).toEqual(['Milk', 'Sugar']);
    expect(await c.fail('AttachModifierGroup', { product_id: p.id, modifier_group_id: milk.id })).toMatchObject({ code: 'ALREADY_EXISTS', reason: 'MODIFIER_GROUP_ALREADY_ATTACHED' });
    expect((await c.ok('DetachModifierGroup', { product_id: p.id, modifier_group_id: milk.id })).modifier_groups.map((g: Body) => g.name)).toEqual(['Sugar']);
    expect((await c.ok('GetProductModifierGroups', { product_id: p.id })).modifier_groups.map((g: Body) => g.name)).toEqual(['Sugar']);
    const other = as(await createTenant(s.app));
    expect(await other.fail('AttachModifierGroup', { product_id: p.id, modifier_group_id: milk.id })).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('gRPC ExplainPrice', () => {
  it('says which book won and why, and explains every book when none applies', async () => {
    const c = as(await createTenant(s.app));
    const v = (await product(c)).variants[0].id;
    expect(await c.fail('ExplainPrice', { variant_id: v })).toMatchObject({ code: 'NOT_FOUND', reason: 'PRICE_NOT_FOUND' });
    await c.ok('SetPrice', { variant_id: v, amount: '2500000', currency: 'IDR' });
    const happy = (await c.ok('CreatePriceBook', { name: 'Happy hour', priority: 10, hours_start: '16:00', hours_end: '18:00' })).price_book;
    await c.ok('SetPriceBookPrices', { price_book_id: happy.id, set: [{ variant_id: v, amount: '1800000' }] });
    const at = (time: string) => c.ok('ExplainPrice', { variant_id: v, outlet_id: c.t.outletId, at: `2025-03-03T${time}:00+07:00` });
    const inside = await at('16:30');
    expect(inside).toMatchObject({ variant_id: v, amount: '1800000', currency: 'IDR', price_book_id: happy.id, price_book_name: 'Happy hour' });
    expect(inside.reason.matched.map((m: Body) => m.condition)).toEqual(['hours']);
    expect(inside.reason.candidates.map((x: Body) => [x.price_book_name, x.outcome])).toEqual([
      ['Happy hour', 'won'],
      [expect.any(String), 'fallback_not_needed'],
    ]);
    const outside = await at('19:00');
    expect(outside).toMatchObject({ amount: '2500000' });
    expect(outside.reason.candidates.find((x: Body) => x.price_book_id === happy.id)).toMatchObject({ outcome: 'not_matching', detail: expect.stringContaining('outside 16:00–18:00') });
    expect(await c.fail('ExplainPrice', { variant_id: uuidv7() })).toMatchObject({ code: 'NOT_FOUND', reason: 'VARIANT_NOT_FOUND' });
  });
});

describe('gRPC images', () => {
  it('gives an uploaded image’s metadata, lists it by owner, and deletes it', async () => {
    const c = as(await createTenant(s.app));
    const p = await product(c);
    const up = await uploadForm(`${s.baseUrl}/api/v1/products/${p.id}/images`, c.t.devHeaders, { data: await makeImage('png', 320, 200), filename: 'a.png', type: 'image/png' });
    expect(up.status).toBe(201);
    const image = (await c.ok('GetImage', { id: up.body.id })).image;
    expect(image).toMatchObject({ id: up.body.id, owner_type: 'product', owner_id: p.id, content_type: 'image/png', width: 320, height: 200, url: up.body.url });
    expect(image.byte_size).toBe(String(up.body.byte_size));
    expect(image.thumbnails.length).toBeGreaterThan(0);
    expect((await c.ok('ListImages', { owner_type: 'product', owner_id: p.id })).images.map((i: Body) => i.id)).toEqual([up.body.id]);
    const other = as(await createTenant(s.app));
    expect(await other.fail('GetImage', { id: up.body.id })).toMatchObject({ code: 'NOT_FOUND', reason: 'IMAGE_NOT_FOUND' });
    expect(await other.fail('DeleteImage', { id: up.body.id })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await c.ok('DeleteImage', { id: up.body.id })).toEqual({ id: up.body.id });
    expect(await c.fail('GetImage', { id: up.body.id })).toMatchObject({ code: 'NOT_FOUND' });
    expect((await c.ok('ListImages', { owner_type: 'product', owner_id: p.id })).images).toEqual([]);
    expect(await c.fail('ListImages', { owner_type: 'table', owner_id: p.id })).toMatchObject({ code: 'INVALID_ARGUMENT', fields: ['owner_type'] });
  });
});

describe('gRPC CSV import and export', () => {
  it('dry-runs by default, reports a bad row without writing, applies a good file, and exports it', async () => {
    const c = as(await createTenant(s.app));
    const sku = `GRPC-${Date.now().toString(36)}`.toUpperCase();
    const good = `product_sku,product_name,variant_sku,variant_name,price\n${sku},Teh Tarik,${sku}-R,Regular,15000.00\n`;
    const dry = await c.ok('ImportCatalog', { csv: good });
    expect(dry).toMatchObject({ dry_run: true, valid: true, applied: false, summary: { rows: 1, products: { create: 1 }, prices_set: 1 } });
    expect((await c.ok('ListProducts')).products).toEqual([]);
    const badCsv = `${good}${sku}-2,,${sku}-2R,Regular,-5\n`;
    const bad = await c.ok('ImportCatalog', { csv: badCsv });
    expect(bad).toMatchObject({ dry_run: true, valid: false, applied: false });
    expect(bad.error_count).toBeGreaterThan(0);
    expect(bad.errors[0]).toMatchObject({ row: 3 });
    expect(await c.fail('ImportCatalog', { csv: badCsv, dry_run: false })).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((await c.ok('ListProducts')).products).toEqual([]);
    const applied = await c.ok('ImportCatalog', { csv: good, dry_run: false });
    expect(applied).toMatchObject({ applied: true, valid: true, summary: { products: { create: 1 } } });
    expect(Number(applied.change_seq)).toBeGreaterThan(0);
    const listed = (await c.ok('ListProducts')).products;
    expect(listed.map((x: Body) => x.sku)).toEqual([sku]);
    const csv = (await c.ok('ExportCatalog')).csv as string;
    expect(csv.split('\n')[0]).toContain('product_sku');
    expect(csv).toContain(`${sku}-R`);
    expect(csv).toContain('15000.00');
    expect((await as(await createTenant(s.app)).ok('ExportCatalog')).csv).not.toContain(sku);
  });
});
