import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTenant, sku, startCatalogServer, type Client, type TestServer } from './support.js';

let s: TestServer;
let api: Client;

beforeAll(async () => {
  s = await startCatalogServer();
  api = as(s, await createTenant(s.app));
});
afterAll(() => s.stop());

type V = { id: string; name: string; active: boolean };
const productWith = async (...names: string[]) => {
  const r = await api.post('/api/v1/products', { name: `P ${sku()}`, variants: names.map((name) => ({ name })) });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; variants: V[] };
};
const fieldsOf = (r: { body: { error: { details: { fields: { field: string }[] } } } }) => r.body.error.details.fields.map((f) => f.field);

describe('variants over REST', () => {
  it('creates, reads and updates a variant; barcodes replace the set', async () => {
    const p = await productWith('Regular');
    const code = sku('LATTE-L');
    const created = await api.post(`/api/v1/products/${p.id}/variants`, { name: 'Large', sku: code.toLowerCase(), barcodes: ['0001', '0002'], options: { size: 'L' }, cost: 12000, sort_order: 2 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Large', sku: code, barcodes: ['0001', '0002'], options: { size: 'L' }, cost: 12000, sort_order: 2, weight_based: false });
    const id = created.body.id as string;
    const updated = await api.patch(`/api/v1/variants/${id}`, { barcodes: ['0003'], options: { size: 'XL' }, cost: null, weight_based: true });
    expect(updated.body).toMatchObject({ barcodes: ['0003'], options: { size: 'XL' }, cost: null, weight_based: true, name: 'Large' });
    expect((await api.get(`/api/v1/variants/${id}`)).body.barcodes).toEqual(['0003']);
    // The barcode given up is free again.
    expect((await api.post(`/api/v1/products/${p.id}/variants`, { name: 'Other', barcodes: ['0001'] })).status).toBe(201);
    const listed = await api.get(`/api/v1/products/${p.id}/variants`);
    expect(listed.body.items.map((v: V) => v.name)).toEqual(['Regular', 'Large', 'Other']);
  });

  it('refuses a barcode of another variant with 409 naming barcodes, and leaves the variant as it was', async () => {
    const p = await productWith('A', 'B');
    const [va, vb] = p.variants;
    await api.patch(`/api/v1/variants/${va!.id}`, { barcodes: ['77001'] });
    await api.patch(`/api/v1/variants/${vb!.id}`, { barcodes: ['77002'] });
    const r = await api.patch(`/api/v1/variants/${vb!.id}`, { name: 'Renamed', barcodes: ['77003', '77001'] });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'BARCODE_TAKEN', details: { field: 'barcodes', barcodes: ['77001'] } });
    expect((await api.get(`/api/v1/variants/${vb!.id}`)).body).toMatchObject({ name: 'B', barcodes: ['77002'] });
    const created = await api.post(`/api/v1/products/${p.id}/variants`, { name: 'C', barcodes: ['77002'] });
    expect([created.status, created.body.error.details.field]).toEqual([409, 'barcodes']);
  });

  it('names every invalid field', async () => {
    const p = await productWith('Regular');
    const r = await api.post(`/api/v1/products/${p.id}/variants`, { name: ' ', cost: -5, sort_order: 'first', barcodes: ['a b', 'AB'], options: { '': 'x' }, weight_based: 1 });
    expect(r.status).toBe(400);
    expect(fieldsOf(r)).toEqual(expect.arrayContaining(['name', 'cost', 'sort_order', 'barcodes.1', 'weight_based']));
    expect((await api.get(`/api/v1/products/${p.id}/variants`)).body.items).toHaveLength(1);
    expect((await api.post('/api/v1/products/0192e3a4-5b6c-7d8e-9f00-112233445566/variants', { name: 'Orphan' })).body.error.code).toBe('PRODUCT_NOT_FOUND');
    expect((await api.get('/api/v1/variants/not-a-uuid')).status).toBe(400);
  });

  it('cannot archive or deactivate the last active variant of an active product', async () => {
    const p = await productWith('Only');
    const only = p.variants[0]!.id;
    const archive = await api.post(`/api/v1/variants/${only}/archive`);
    expect([archive.status, archive.body.error.code]).toEqual([409, 'VARIANT_LAST_ACTIVE']);
    const deactivate = await api.patch(`/api/v1/variants/${only}`, { active: false });
    expect([deactivate.status, deactivate.body.error.code]).toEqual([409, 'VARIANT_LAST_ACTIVE']);
    // With a second active variant it can go; the second then becomes the last.
    const second = (await api.post(`/api/v1/products/${p.id}/variants`, { name: 'Second' })).body.id as string;
    expect((await api.post(`/api/v1/variants/${only}/archive`)).status).toBe(200);
    expect((await api.post(`/api/v1/variants/${second}/archive`)).body.error.code).toBe('VARIANT_LAST_ACTIVE');
    // Once the product is inactive, its last variant may be archived.
    await api.patch(`/api/v1/products/${p.id}`, { active: false });
    expect((await api.post(`/api/v1/variants/${second}/archive`)).status).toBe(200);
  });

  it('archived variants stay readable by id but leave the product, and are frozen', async () => {
    const p = await productWith('Keep', 'Drop');
    const drop = p.variants[1]!.id;
    const archived = await api.post(`/api/v1/variants/${drop}/archive`);
    expect(archived.body).toMatchObject({ id: drop, active: false, archived_at: expect.any(String) });
    expect((await api.post(`/api/v1/variants/${drop}/archive`)).body.archived_at).toBe(archived.body.archived_at);
    expect((await api.get(`/api/v1/products/${p.id}`)).body.variants.map((v: V) => v.name)).toEqual(['Keep']);
    expect((await api.get(`/api/v1/products/${p.id}?include_archived_variants=true`)).body.variants.map((v: V) => v.name)).toEqual(['Keep', 'Drop']);
    expect((await api.get(`/api/v1/products/${p.id}/variants?include_archived=true`)).body.items).toHaveLength(2);
    expect((await api.get(`/api/v1/variants/${drop}`)).body.name).toBe('Drop');
    expect((await api.patch(`/api/v1/variants/${drop}`, { name: 'Back' })).body.error.code).toBe('VARIANT_ARCHIVED');
  });
});
