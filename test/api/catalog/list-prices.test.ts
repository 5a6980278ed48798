import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
