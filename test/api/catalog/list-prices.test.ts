import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presentProduct } from '../../../src/adapters/shared/views/catalog.views.js';
import { presentPage } from '../../../src/adapters/shared/views/common.js';
import { toJson } from '../../../src/adapters/http/json.js';
import { PERMISSIONS } from '../../../src/modules/access/index.js';
import type { ProductListRequest } from '../../../src/modules/catalog/index.js';
import type { Ctx } from '../../../src/platform/context.js';
import { call, createTenant, type TestServer, type TestTenant } from '../../support/server.js';
import { as, sku, startCatalogServer, type Client } from './support.js';

let s: TestServer;
let t: TestTenant;
let api: Client;

beforeAll(async () => {
  s = await startCatalogServer();
  t = await createTenant(s.app);
  api = as(s, t);
});
afterAll(() => s.stop());

describe('listing products with resolved prices', () => {
  it('gives every listed variant the price the resolver picks for the asked time, in one request', async () => {
    const product = await api.post('/api/v1/products', { name: 'Es Teh', variants: [{ name: 'Regular', sku: sku('TEH') }, { name: 'Large', sku: sku('TEH') }] });
    expect(product.status).toBe(201);
    const [regular, large] = product.body.variants as { id: string }[];
    const set = await call(s.baseUrl, 'PUT', `/api/v1/variants/${regular!.id}/price`, { headers: t.devHeaders, body: { amount: 1000000, currency: 'IDR' } });
    expect(set.status).toBe(200);
    const hh = await api.post('/api/v1/price-books', { name: 'Happy hour', priority: 10, hours_start: '16:00', hours_end: '18:00' });
    expect(hh.status).toBe(201);
    expect((await api.patch(`/api/v1/price-books/${hh.body.id}/prices`, { set: [{ variant_id: regular!.id, amount: 800000 }] })).status).toBe(200);

    const at = (local: string) => encodeURIComponent(`2026-11-20T${local}:00+07:00`);
    const listAt = async (local: string) => {
      const r = await api.get(`/api/v1/products?with_prices=true&at=${at(local)}&page_size=100`);
      expect(r.status).toBe(200);
      const p = r.body.items.find((x: { id: string }) => x.id === product.body.id);
      return Object.fromEntries(p.variants.map((v: { name: string; price: unknown }) => [v.name, v.price]));
    };
    expect(await listAt('10:00')).toMatchObject({ Regular: { amount: 1000000, currency: 'IDR' }, Large: null });
    expect(await listAt('16:30')).toMatchObject({ Regular: { amount: 800000, currency: 'IDR', price_book_id: hh.body.id }, Large: null });

    const plain = await api.get('/api/v1/products?page_size=100');
    const p = plain.body.items.find((x: { id: string }) => x.id === product.body.id);
    expect(p.variants[0]).not.toHaveProperty('price');
    expect(large!.id).not.toBe(regular!.id);
  });
});

describe('the product page rendered by the database', () => {
  const ctx = (tenant: TestTenant): Ctx => ({
    tenantId: tenant.tenantId,
    actor: { kind: 'dev', membershipId: tenant.ownerMembershipId, permissions: new Set(PERMISSIONS) },
    requestId: 'test',
    database: s.app.database,
    log: s.app.log,
  });
  /** What the object path (repositories, resolver, presenters) answers for the same request. */
  const objectPath = async (tenant: TestTenant, req: ProductListRequest) => JSON.parse(toJson(presentPage(await s.app.services.catalog.search.products(ctx(tenant), req), presentProduct)));

  it('is the page the presenters give, field for field, with and without prices, across pages and filters', async () => {
    const u = await createTenant(s.app);
    const a = as(s, u);
    const cat = (await a.post('/api/v1/categories', { name: 'Drinks' })).body;
    const made: { id: string; variants: { id: string }[] }[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await a.post('/api/v1/products', {
        name: `Kopi ${i} "special" \\ ünï`,
        description: i % 2 ? 'with\nnewline' : undefined,
        sku: sku('PG'),
        tags: i % 2 ? ['hot', 'kopi'] : [],
        category_id: i < 3 ? cat.id : undefined,
        variants: [
          { name: 'Small', sku: sku('PGV'), barcodes: [`${Date.now()}${i}1`, `${Date.now()}${i}0`], options: { size: 'S' }, cost: 1500 },
          { name: 'Large', sku: sku('PGV'), weight_based: i === 2, sort_order: -1 },
          { name: 'Gone', sku: sku('PGV') },
        ],
      });
      expect(r.status).toBe(201);
      made.push(r.body);
    }
    // An archived variant and an archived product stay out (unless include_archived asks for the product).
    expect((await a.post(`/api/v1/variants/${made[0]!.variants[2]!.id}/archive`)).status).toBe(200);
    expect((await a.post(`/api/v1/products/${made[4]!.id}/archive`)).status).toBe(200);
    // Prices: a default-book price, a happy-hour book that wins in its hours, a large price, and none at all.
    const small = made.map((p) => p.variants[0]!.id);
    expect((await call(s.baseUrl, 'PUT', `/api/v1/variants/${small[0]}/price`, { headers: u.devHeaders, body: { amount: 1000000, currency: 'IDR' } })).status).toBe(200);
    expect((await call(s.baseUrl, 'PUT', `/api/v1/variants/${small[1]}/price`, { headers: u.devHeaders, body: { amount: 900000000000, currency: 'IDR' } })).status).toBe(200);
    const hh = await a.post('/api/v1/price-books', { name: 'Happy hour', priority: 10, hours_start: '16:00', hours_end: '18:00' });
    expect((await a.patch(`/api/v1/price-books/${hh.body.id}/prices`, { set: [{ variant_id: small[0], amount: 800000 }, { variant_id: small[2], amount: 5 }] })).status).toBe(200);

    // One product "86"d at the tenant's outlet, one inactive.
    expect((await a.post(`/api/v1/products/${made[1]!.id}/availability`, { outlet_id: u.outletId, available: false })).status).toBe(200);
    expect((await a.patch(`/api/v1/products/${made[3]!.id}`, { active: false })).status).toBe(200);

    const at = '2026-11-20T16:30:00+07:00';
    const cases: [string, ProductListRequest][] = [
      [`page_size=100&available_at=${u.outletId}&with_prices=true&outlet_id=${u.outletId}`, { page_size: 100, availableAt: u.outletId, prices: { outletId: u.outletId } }],
      ['page_size=100&active=false', { page_size: 100, active: false }],
      ['page_size=2', { page_size: 2 }],
      ['page_size=100&include_archived=true', { page_size: 100, includeArchived: true }],
      [`page_size=100&category_id=${cat.id}&with_prices=true&at=${encodeURIComponent(at)}`, { page_size: 100, categoryId: cat.id, prices: { at: new Date(at) } }],
      ['page_size=100&with_prices=true&at=2026-11-20T09:00:00Z', { page_size: 100, prices: { at: new Date('2026-11-20T09:00:00Z') } }],
    ];
    for (const [query, req] of cases) {
      const rest = await a.get(`/api/v1/products?${query}`);
      expect(rest.status, query).toBe(200);
      expect(rest.headers.get('content-type')).toMatch(/^application\/json/);
      expect(rest.body, query).toEqual(await objectPath(u, req));
      expect(rest.body.items.length, query).toBeGreaterThan(0);
    }
    expect((await a.get(`/api/v1/products?page_size=100&available_at=${u.outletId}`)).body.items.map((p: { id: string }) => p.id)).not.toContain(made[1]!.id);
    // Every page of a walk, with prices.
    let token = '';
    let pages = 0;
    do {
      const rest = await a.get(`/api/v1/products?page_size=2&with_prices=true${token ? `&page_token=${token}` : ''}`);
      expect(rest.body).toEqual(await objectPath(u, { page_size: 2, page_token: token || undefined, prices: {} }));
      token = rest.body.next_page_token;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    // The values themselves, not only agreement: the happy-hour price won, a large amount is exact.
    const priced = (await a.get(`/api/v1/products?page_size=100&with_prices=true&at=${encodeURIComponent(at)}`)).body.items as { id: string; variants: { id: string; price: unknown }[] }[];
    const priceOf = (v: string) => priced.flatMap((p) => p.variants).find((x) => x.id === v)!.price;
    expect(priceOf(small[0]!)).toEqual({ amount: 800000, currency: 'IDR', price_book_id: hh.body.id });
    expect(priceOf(small[1]!)).toMatchObject({ amount: 900000000000 });
    expect(priceOf(small[3]!)).toBeNull();
    expect(priced.find((p) => p.id === made[0]!.id)!.variants.map((v) => v.id)).not.toContain(made[0]!.variants[2]!.id);
  });

  it('shows another tenant nothing', async () => {
    const other = await createTenant(s.app);
    const mine = await api.post('/api/v1/products', { name: 'Mine only', sku: sku('ISO') });
    expect(mine.status).toBe(201);
    const theirs = await as(s, other).get('/api/v1/products?page_size=100&with_prices=true');
    expect(theirs.status).toBe(200);
    expect(theirs.body.items).toEqual([]);
  });
});
