import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toJson } from '../../../src/adapters/http/json.js';
import { presentLookup } from '../../../src/adapters/shared/views/catalog.views.js';
import { PERMISSIONS } from '../../../src/modules/access/index.js';
import type { Ctx } from '../../../src/platform/context.js';
import { as, createTenant, startCatalogServer, type Client, type TestServer, type TestTenant } from './support.js';

let s: TestServer;
let a: TestTenant;
let api: Client;
let other: Client;
let latte: { id: string; sku: string; variants: { id: string; sku: string }[] };
let category: string;

beforeAll(async () => {
  s = await startCatalogServer();
  a = await createTenant(s.app);
  api = as(s, a);
  other = as(s, await createTenant(s.app));
  category = (await api.post('/api/v1/categories', { name: 'Coffee' })).body.id;
  latte = (
    await api.post('/api/v1/products', {
      name: 'Iced Latte',
      sku: 'ICE-LATTE-001',
      category_id: category,
      variants: [{ name: 'Regular', sku: 'ICE-LATTE-001-REG', barcodes: ['8992761002015', 'LATTE-R'] }, { name: 'Large', sku: 'ICE-LATTE-001-LRG' }],
    })
  ).body;
  for (const name of ['Hot Latte', 'Caramel Macchiato', 'Latte Art Class', 'Lemon Tea', 'Green Tea Latte']) {
    await api.post('/api/v1/products', { name, ...(name.includes('Tea') ? {} : { category_id: category }) });
  }
});
afterAll(() => s.stop());

const names = (r: { body: { items: { name: string }[] } }) => r.body.items.map((p) => p.name);

describe('lookup by barcode or SKU', () => {
  it('finds a variant by barcode, however the digits are spaced', async () => {
    const r = await api.get('/api/v1/catalog/lookup?code=8%20992761%20002015');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ matched_by: 'barcode', variant_id: latte.variants[0]!.id, product: { id: latte.id, name: 'Iced Latte' } });
    expect(r.body.product.variants).toHaveLength(2);
  });

  it('finds a variant by its SKU in any case, and a product by its SKU', async () => {
    expect((await api.get('/api/v1/catalog/lookup?code=ice-latte-001-lrg')).body).toMatchObject({ matched_by: 'variant_sku', variant_id: latte.variants[1]!.id });
    expect((await api.get('/api/v1/catalog/lookup?code=ICE-LATTE-001')).body).toMatchObject({ matched_by: 'product_sku', variant_id: null, product: { id: latte.id } });
  });

  it('answers 404 for an unknown code, another tenant’s code or an archived product; 400 for no code', async () => {
    expect((await api.get('/api/v1/catalog/lookup?code=NOPE-123')).body.error.code).toBe('CATALOG_CODE_NOT_FOUND');
    expect((await other.get('/api/v1/catalog/lookup?code=8992761002015')).status).toBe(404);
    const old = (await api.post('/api/v1/products', { name: 'Retired', variants: [{ name: 'R', barcodes: ['RETIRED-1'] }] })).body;
    expect((await api.get('/api/v1/catalog/lookup?code=RETIRED-1')).status).toBe(200);
    await api.post(`/api/v1/products/${old.id}/archive`);
    expect((await api.get('/api/v1/catalog/lookup?code=RETIRED-1')).status).toBe(404);
    expect((await api.get('/api/v1/catalog/lookup')).status).toBe(400);
    expect((await api.get('/api/v1/catalog/lookup?code=%20%20')).status).toBe(400);
  });

  it('answers exactly what the presenters give for the same hit (the body is rendered by the database)', async () => {
    const ctx: Ctx = { tenantId: a.tenantId, actor: { kind: 'dev', permissions: new Set(PERMISSIONS) }, requestId: 'test', database: s.app.database, log: s.app.log };
    const single = (await api.post('/api/v1/products', { name: 'Single "one" \\ ü', sku: 'SINGLE-1', tags: ['a'], variants: [{ name: 'Only', barcodes: ['SINGLE-BC'], options: { size: 'M' }, cost: 1234 }] })).body;
    const gone = (await api.post('/api/v1/products', { name: 'Has gone variant', sku: 'GONE-P', variants: [{ name: 'Stays', sku: 'GONE-1' }, { name: 'Goes', sku: 'GONE-2' }] })).body;
    await api.post(`/api/v1/variants/${gone.variants[1].id}/archive`);
    for (const code of ['8992761002015', 'latte-r', 'ICE-LATTE-001-LRG', 'ICE-LATTE-001', 'SINGLE-1', 'single-bc', 'GONE-P', 'GONE-1']) {
      const rest = await api.get(`/api/v1/catalog/lookup?code=${code}`);
      expect(rest.status, code).toBe(200);
      expect(rest.headers.get('content-type')).toMatch(/^application\/json/);
      expect(rest.body, code).toEqual(JSON.parse(toJson(presentLookup(await s.app.services.catalog.search.lookup(ctx, code)))));
    }
    // A product SKU names the product's only live variant when it has exactly one.
    expect((await api.get('/api/v1/catalog/lookup?code=SINGLE-1')).body.variant_id).toBe(single.variants[0].id);
    expect((await api.get('/api/v1/catalog/lookup?code=GONE-P')).body.variant_id).toBe(gone.variants[0].id);
    expect((await api.get('/api/v1/catalog/lookup?code=GONE-2')).status).toBe(404);
  });
});

describe('name search', () => {
  it('tolerates typos: "icd latte" finds "Iced Latte" first', async () => {
    const r = await api.get('/api/v1/catalog/search?q=icd%20latte');
    expect(r.status).toBe(200);
    expect(names(r)[0]).toBe('Iced Latte');
    expect(r.body.items[0].variants).toHaveLength(2);
    expect(names(await api.get('/api/v1/products?q=carmel%20machiato'))).toEqual(['Caramel Macchiato']);
  });

  it('matches prefixes first, then inner words', async () => {
    const r = await api.get('/api/v1/catalog/search?q=lat');
    expect(names(r).slice(0, 1)).toEqual(['Latte Art Class']);
    expect(names(r)).toEqual(expect.arrayContaining(['Iced Latte', 'Hot Latte', 'Green Tea Latte']));
    expect(names(r)).not.toContain('Lemon Tea');
    expect(names(await api.get('/api/v1/catalog/search?q=L'))).toEqual(['Latte Art Class', 'Lemon Tea']);
  });

  it('filters by category, availability at an outlet and active', async () => {
    expect(names(await api.get(`/api/v1/catalog/search?q=latte&category_id=${category}`)).sort()).toEqual(['Hot Latte', 'Iced Latte', 'Latte Art Class']);
    await api.post(`/api/v1/products/${latte.id}/availability`, { outlet_id: a.outletId, available: false });
    expect(names(await api.get(`/api/v1/catalog/search?q=latte&available_at=${a.outletId}`))).not.toContain('Iced Latte');
    await api.post(`/api/v1/products/${latte.id}/availability`, { outlet_id: a.outletId, available: true });
    expect(names(await api.get('/api/v1/catalog/search?q=latte&active=false'))).toEqual([]);
  });

  it('pages best match first with opaque tokens, and refuses a foreign token', async () => {
    const all = names(await api.get('/api/v1/catalog/search?q=latte'));
    const seen: string[] = [];
    let token = '';
    do {
      const r = await api.get(`/api/v1/catalog/search?q=latte&page_size=2${token ? `&page_token=${token}` : ''}`);
      seen.push(...names(r));
      token = r.body.next_page_token;
    } while (token);
    expect(seen).toEqual(all);
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect((await api.get('/api/v1/catalog/search?q=latte&page_token=123')).body.error.code).toBe('INVALID_PAGE_TOKEN');
  });

  it('never shows another tenant’s products', async () => {
    expect(names(await other.get('/api/v1/catalog/search?q=latte'))).toEqual([]);
    expect((await other.get('/api/v1/products')).body.items).toEqual([]);
  });

  it('needs q', async () => {
    expect((await api.get('/api/v1/catalog/search')).status).toBe(400);
  });
});
