import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/server.js';
import { as, createTenant, eventsFor, sku, startCatalogServer, type Client, type TestServer, type TestTenant } from './support.js';

let s: TestServer;
let a: TestTenant;
let api: Client;
let other: Client;

beforeAll(async () => {
  s = await startCatalogServer();
  a = await createTenant(s.app);
  api = as(s, a);
  other = as(s, await createTenant(s.app));
});
afterAll(() => s.stop());

type V = { id: string; name: string; sku: string | null };
const createProduct = async (body: Record<string, unknown>) => {
  const r = await api.post('/api/v1/products', body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; name: string; variants: V[] };
};
const fieldsOf = (r: { body: { error: { details: { fields: { field: string }[] } } } }) => r.body.error.details.fields.map((f) => f.field);
const productCount = async () => (await api.get('/api/v1/products?page_size=100&include_archived=true')).body.items.length;

describe('products and the default variant', () => {
  it('runs the seed quick start: the product ends with exactly the variant the user created', async () => {
    const cat = await api.post('/api/v1/categories', { name: 'Beverages', sort_order: 1 });
    const product = await createProduct({ name: 'Iced Latte', sku: 'ice-latte-001', category_id: cat.body.id });
    expect(product).toMatchObject({ sku: 'ICE-LATTE-001', category_id: cat.body.id, type: 'standard', track_stock: true, active: true });
    expect(product.variants).toMatchObject([{ name: 'Regular', sku: null }]);
    const variant = await api.post(`/api/v1/products/${product.id}/variants`, { name: 'Regular', sku: 'ICE-LATTE-001-REG' });
    expect(variant.status).toBe(201);
    expect(variant.body).toMatchObject({ product_id: product.id, name: 'Regular', sku: 'ICE-LATTE-001-REG', active: true });
    const after = await api.get(`/api/v1/products/${product.id}?include_archived_variants=true`);
    expect(after.body.variants).toEqual([expect.objectContaining({ id: variant.body.id, name: 'Regular', sku: 'ICE-LATTE-001-REG' })]);
    // The placeholder is gone, not merely hidden.
    expect((await api.get(`/api/v1/variants/${product.variants[0]!.id}`)).status).toBe(404);
  });

  it('adds Small and Large after a product created without variants: exactly those two', async () => {
    const product = await createProduct({ name: 'Tea' });
    await api.post(`/api/v1/products/${product.id}/variants`, { name: 'Small', sort_order: 1 });
    await api.post(`/api/v1/products/${product.id}/variants`, { name: 'Large', sort_order: 2 });
    expect((await api.get(`/api/v1/products/${product.id}`)).body.variants.map((v: V) => v.name)).toEqual(['Small', 'Large']);
  });

  it('keeps the default variant once the user has edited it, and adds the new one beside it', async () => {
    const product = await createProduct({ name: 'Mocha' });
    const regular = product.variants[0]!;
    await api.patch(`/api/v1/variants/${regular.id}`, { sku: sku('MOCHA') });
    await api.post(`/api/v1/products/${product.id}/variants`, { name: 'Large' });
    expect((await api.get(`/api/v1/products/${product.id}`)).body.variants.map((v: V) => v.name)).toEqual(['Regular', 'Large']);
  });

  it('keeps the default variant when the new variant is inactive (it could not stand in for it)', async () => {
    const product = await createProduct({ name: 'Chai' });
    await api.post(`/api/v1/products/${product.id}/variants`, { name: 'Oat', active: false });
    expect((await api.get(`/api/v1/products/${product.id}`)).body.variants.map((v: V) => v.name)).toEqual(['Regular', 'Oat']);
  });

  it('creates variants inline with barcodes, option values, cost and weight flag; no default then', async () => {
    const product = await createProduct({
      name: 'Coffee beans',
      description: 'House blend',
      tags: ['beans', 'retail', 'beans'],
      type: 'standard',
      variants: [
        { name: '250 g', sku: sku('BEAN'), barcodes: ['8 992761 002015'], options: { size: '250g' }, cost: 45000, sort_order: 1 },
        { name: 'Loose', options: { size: 'loose' }, weight_based: true, sort_order: 2 },
      ],
    });
    expect(product).toMatchObject({ description: 'House blend', tags: ['beans', 'retail'] });
    expect(product.variants).toMatchObject([
      { name: '250 g', barcodes: ['8992761002015'], options: { size: '250g' }, cost: 45000, weight_based: false },
      { name: 'Loose', barcodes: [], cost: null, weight_based: true },
    ]);
  });

  it('defaults track_stock to false for services', async () => {
    expect(await createProduct({ name: 'Gift wrapping', type: 'service' })).toMatchObject({ type: 'service', track_stock: false });
  });
});

describe('product uniqueness and bad input', () => {
  it('refuses a SKU already used by a product or a variant, in any case, with 409 naming sku', async () => {
    const taken = sku('DUP');
    const first = await createProduct({ name: 'First', sku: taken, variants: [{ name: 'One', sku: `${taken}-V` }] });
    const before = await productCount();
    for (const body of [
      { name: 'Again', sku: taken.toLowerCase() },
      { name: 'Again', sku: `${taken}-V` },
      { name: 'Again', variants: [{ name: 'X', sku: taken }] },
    ]) {
      const r = await api.post('/api/v1/products', body);
      expect(r.status, JSON.stringify(body)).toBe(409);
      expect(r.body.error.code).toBe('SKU_TAKEN');
      expect(r.body.error.details.field).toMatch(/sku$/);
    }
    const onVariant = await api.post(`/api/v1/products/${first.id}/variants`, { name: 'Y', sku: taken });
    expect([onVariant.status, onVariant.body.error.code, onVariant.body.error.details.field]).toEqual([409, 'SKU_TAKEN', 'sku']);
    const onUpdate = await api.patch(`/api/v1/variants/${first.variants[0]!.id}`, { sku: taken });
    expect([onUpdate.status, onUpdate.body.error.details.field]).toEqual([409, 'sku']);
    expect(await productCount()).toBe(before);
    // Keeping one's own SKU is not a clash.
    expect((await api.patch(`/api/v1/products/${first.id}`, { sku: taken, name: 'First!' })).status).toBe(200);
  });

  it('lets exactly one of several concurrent creates with one SKU win; the others get 409, never 500', async () => {
    const contested = sku('RACE');
    const results = await Promise.all([
      ...Array.from({ length: 4 }, (_, i) => api.post('/api/v1/products', { name: `Racer ${i}`, sku: contested })),
      ...Array.from({ length: 2 }, (_, i) => api.post('/api/v1/products', { name: `Variant racer ${i}`, variants: [{ name: 'V', sku: contested }] })),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'SKU_TAKEN')).toBe(true);
  });

  it('replays a create sent twice with one Idempotency-Key instead of creating twice', async () => {
    const body = { name: 'Once', sku: sku('ONCE') };
    const headers = { ...a.devHeaders, 'idempotency-key': `create-${sku()}` };
    const first = await call(s.baseUrl, 'POST', '/api/v1/products', { headers, body });
    const again = await call(s.baseUrl, 'POST', '/api/v1/products', { headers, body });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('refuses a barcode another variant has with 409 naming barcodes, writing nothing', async () => {
    await createProduct({ name: 'Scanned', variants: [{ name: 'Only', barcodes: ['4006381333931'] }] });
    const before = await productCount();
    const r = await api.post('/api/v1/products', { name: 'Clash', variants: [{ name: 'X', barcodes: ['4006 3813 33931'] }] });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'BARCODE_TAKEN', details: { field: 'variants.0.barcodes', barcodes: ['4006381333931'] } });
    expect(await productCount()).toBe(before);
  });

  it('refuses duplicates inside one request as invalid input naming both places', async () => {
    const dup = sku('SAME');
    const r = await api.post('/api/v1/products', { name: 'Twins', sku: dup, variants: [{ name: 'A', sku: dup, barcodes: ['111'] }, { name: 'B', barcodes: ['111'] }] });
    expect(r.status).toBe(400);
    expect(fieldsOf(r)).toEqual(['variants.0.sku', 'variants.1.barcodes.0']);
  });

  it('names every invalid field and writes nothing', async () => {
    const before = await productCount();
    const r = await api.post('/api/v1/products', {
      name: '',
      sku: 'HAS SPACE',
      type: 'bundle',
      tags: [''],
      category_id: 'x',
      track_stock: 'yes',
      variants: [{ name: 'V', cost: -1, options: { size: '' } }, { name: 'W', cost: 1.5 }],
      colour: 'red',
    });
    expect(r.status).toBe(400);
    expect(fieldsOf(r)).toEqual(expect.arrayContaining(['name', 'sku', 'type', 'tags.0', 'category_id', 'track_stock', 'variants.0.cost', 'variants.0.options.size', 'variants.1.cost']));
    const refs = await api.post('/api/v1/products', { name: 'Ghost', category_id: '0192e3a4-5b6c-7d8e-9f00-112233445566', tax_category_id: '0192e3a4-5b6c-7d8e-9f00-112233445567' });
    expect([refs.status, fieldsOf(refs)]).toEqual([400, ['category_id', 'tax_category_id']]);
    expect((await api.post('/api/v1/products', { name: 'None', variants: [] })).status).toBe(400);
    expect(await productCount()).toBe(before);
  });
});

describe('product lifecycle', () => {
  it('updates fields and clears nullable ones', async () => {
    const cat = await api.post('/api/v1/categories', { name: 'Snacks' });
    const p = await createProduct({ name: 'Chips', description: 'Salty', category_id: cat.body.id, sku: sku('CHIP') });
    const r = await api.patch(`/api/v1/products/${p.id}`, { name: 'Potato chips', description: null, category_id: null, sku: null, tags: ['crunchy'], track_stock: false });
    expect(r.body).toMatchObject({ name: 'Potato chips', description: null, category_id: null, sku: null, tags: ['crunchy'], track_stock: false });
  });

  it('archives without deleting: readable by id, out of lists, frozen, and archiving twice changes nothing', async () => {
    const p = await createProduct({ name: 'Old blend', sku: sku('OLD') });
    const archived = await api.post(`/api/v1/products/${p.id}/archive`);
    expect(archived.body).toMatchObject({ id: p.id, active: false, archived_at: expect.any(String), variants: [{ id: p.variants[0]!.id }] });
    expect((await api.post(`/api/v1/products/${p.id}/archive`)).body.archived_at).toBe(archived.body.archived_at);
    expect((await api.get(`/api/v1/products/${p.id}`)).body).toMatchObject({ name: 'Old blend', archived_at: archived.body.archived_at });
    expect((await api.get(`/api/v1/variants/${p.variants[0]!.id}`)).status).toBe(200);
    const listed = (await api.get('/api/v1/products?page_size=100')).body.items.map((x: { id: string }) => x.id);
    expect(listed).not.toContain(p.id);
    expect((await api.get('/api/v1/products?page_size=100&include_archived=true')).body.items.map((x: { id: string }) => x.id)).toContain(p.id);
    const edit = await api.patch(`/api/v1/products/${p.id}`, { name: 'Revived' });
    expect([edit.status, edit.body.error.code]).toEqual([409, 'PRODUCT_ARCHIVED']);
    expect((await api.post(`/api/v1/products/${p.id}/variants`, { name: 'More' })).status).toBe(409);
  });

  it('records product.created, product.updated and product.archived in the outbox', async () => {
    const p = await createProduct({ name: 'Evented' });
    await api.patch(`/api/v1/products/${p.id}`, { name: 'Evented 2' });
    await api.post(`/api/v1/products/${p.id}/variants`, { name: 'Big' });
    await api.post(`/api/v1/products/${p.id}/archive`);
    const events = await eventsFor(s, a, p.id);
    expect(events.map((e) => e.type)).toEqual(['product.created', 'product.updated', 'product.updated', 'product.archived']);
    expect(events[0]!.payload.product).toMatchObject({ id: p.id, name: 'Evented', variants: [{ id: p.variants[0]!.id }] });
    expect(events[1]!.payload.changed).toEqual(['name']);
    expect(events[2]!.payload).toMatchObject({ changed: ['variants'], product: { variants: [{ name: 'Big' }] } });
  });

  it('refuses to re-activate a product without an active variant', async () => {
    const p = await createProduct({ name: 'Paused', active: false, variants: [{ name: 'Only', active: false }] });
    const r = await api.patch(`/api/v1/products/${p.id}`, { active: true });
    expect([r.status, r.body.error.code]).toEqual([409, 'PRODUCT_NEEDS_ACTIVE_VARIANT']);
    expect((await api.post('/api/v1/products', { name: 'Nope', variants: [{ name: 'Off', active: false }] })).body.error.code).toBe('PRODUCT_NEEDS_ACTIVE_VARIANT');
  });

  it('lists products with their live variants, by category and active, paged', async () => {
    const cat = await api.post('/api/v1/categories', { name: 'Listing' });
    const ids: string[] = [];
    for (const n of [1, 2, 3]) ids.push((await createProduct({ name: `Listed ${n}`, category_id: cat.body.id, active: n !== 3, variants: [{ name: 'S' }, { name: 'L' }] })).id);
    const first = await api.get(`/api/v1/products?category_id=${cat.body.id}&page_size=2`);
    expect(first.body.items.map((p: { id: string }) => p.id)).toEqual(ids.slice(0, 2));
    expect(first.body.items[0].variants.map((v: V) => v.name)).toEqual(['S', 'L']);
    const second = await api.get(`/api/v1/products?category_id=${cat.body.id}&page_size=2&page_token=${first.body.next_page_token}`);
    expect(second.body).toMatchObject({ items: [{ id: ids[2] }], next_page_token: '' });
    const inactive = await api.get(`/api/v1/products?category_id=${cat.body.id}&active=false`);
    expect(inactive.body.items.map((p: { id: string }) => p.id)).toEqual([ids[2]]);
  });
});

describe('per-outlet availability', () => {
  it('86es a product at one outlet in one call and brings it back', async () => {
    const p = await createProduct({ name: 'Croissant' });
    const second = await api.post('/api/v1/outlets', { code: `O${Date.now() % 100000}`, name: 'Second' });
    const off = await api.post(`/api/v1/products/${p.id}/availability`, { outlet_id: a.outletId, available: false, reason: 'Sold out' });
    expect(off.body).toEqual({ product_id: p.id, outlet_id: a.outletId, available: false, reason: 'Sold out', updated_at: expect.any(String) });
    const at = async (outlet: string) => (await api.get(`/api/v1/products?available_at=${outlet}&page_size=100`)).body.items.map((x: { id: string }) => x.id);
    expect(await at(a.outletId)).not.toContain(p.id);
    expect(await at(second.body.id)).toContain(p.id);
    expect((await api.get(`/api/v1/products/${p.id}/availability`)).body.items).toMatchObject([{ outlet_id: a.outletId, available: false }]);
    await api.post(`/api/v1/products/${p.id}/availability`, { outlet_id: a.outletId, available: true });
    expect(await at(a.outletId)).toContain(p.id);
    const events = await eventsFor(s, a, p.id);
    expect(events.at(-1)!.payload).toMatchObject({ changed: ['availability'], availability: { outlet_id: a.outletId, available: true } });
  });

  it('refuses an unknown outlet or a missing flag, naming the field', async () => {
    const p = await createProduct({ name: 'Bagel' });
    const r = await api.post(`/api/v1/products/${p.id}/availability`, { outlet_id: '0192e3a4-5b6c-7d8e-9f00-112233445566', available: false });
    expect([r.status, fieldsOf(r)]).toEqual([400, ['outlet_id']]);
    const missing = await api.post(`/api/v1/products/${p.id}/availability`, { outlet_id: a.outletId });
    expect([missing.status, fieldsOf(missing)]).toEqual([400, ['available']]);
  });
});

describe('tenancy', () => {
  it('hides one tenant’s products and variants from another (404), and changes nothing', async () => {
    const p = await createProduct({ name: 'Private', sku: sku('PRIV') });
    const v = p.variants[0]!.id;
    expect((await other.get(`/api/v1/products/${p.id}`)).status).toBe(404);
    expect((await other.patch(`/api/v1/products/${p.id}`, { name: 'Mine now' })).status).toBe(404);
    expect((await other.post(`/api/v1/products/${p.id}/archive`)).status).toBe(404);
    expect((await other.post(`/api/v1/products/${p.id}/variants`, { name: 'Sneaky' })).status).toBe(404);
    expect((await other.get(`/api/v1/products/${p.id}/variants`)).status).toBe(404);
    expect((await other.post(`/api/v1/products/${p.id}/availability`, { outlet_id: a.outletId, available: false })).status).toBe(404);
    expect((await other.get(`/api/v1/variants/${v}`)).status).toBe(404);
    expect((await other.patch(`/api/v1/variants/${v}`, { name: 'X' })).status).toBe(404);
    expect((await other.post(`/api/v1/variants/${v}/archive`)).status).toBe(404);
    expect((await api.get(`/api/v1/products/${p.id}`)).body).toMatchObject({ name: 'Private', archived_at: null, variants: [{ id: v, name: 'Regular' }] });
    // SKUs are unique per tenant, not globally.
    expect((await other.post('/api/v1/products', { name: 'Same SKU elsewhere', sku: (await api.get(`/api/v1/products/${p.id}`)).body.sku })).status).toBe(201);
  });
});
