import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer, type TestTenant } from '../support/server.js';
import { catalogOf, csv, exportCsv, postCsv, seedTaxCategory, tenantQuery } from '../support/catalog-import.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({});
});
afterAll(() => srv?.stop());

const HEADER = 'product_sku,product_name,category,variant_sku,variant_name,option:size,barcodes,cost,price,tax_category,track_stock,active';
const CAFE = csv(
  HEADER,
  'LATTE,Caffe Latte,Drinks/Coffee,LATTE-R,Regular,R,8991001|8991002,8000,25000.00,VAT,true,true',
  'LATTE,,,LATTE-L,Large,L,8991003,9000,30000,VAT,true,true',
  'TEA,Iced Tea,drinks/Tea,TEA-1,,,,,15000.5,,false,true',
  'CROISSANT,Croissant,Bakery,,,,"8 992 004",,18000,,,',
);

async function tenantWithTax(): Promise<TestTenant> {
  const t = await createTenant(srv.app);
  await seedTaxCategory(srv.app, t.tenantId, 'VAT');
  return t;
}

describe('catalog CSV import', () => {
  it('dry-runs a file: reports what would be created and writes nothing', async () => {
    const t = await tenantWithTax();
    const r = await postCsv(srv.baseUrl, t.devHeaders, CAFE, true);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ dry_run: true, valid: true, applied: false, error_count: 0, errors: [], change_seq: null });
    expect(r.body.summary).toEqual({
      rows: 4,
      products: { create: 3, update: 0, unchanged: 0 },
      variants: { create: 4, update: 0, unchanged: 0 },
      categories: { create: 4 },
      prices: { set: 4, unchanged: 0 },
      barcodes: { variants_replaced: 3 },
    });
    expect(r.body.changes).toContainEqual({ row: 2, entity: 'category', action: 'create', key: 'Drinks/Coffee' });
    expect(await catalogOf(srv.app, t.tenantId)).toEqual([]);
  });

  it('applies a file in one go: products, variants, options, barcodes, nested categories, default-book prices', async () => {
    const t = await tenantWithTax();
    const r = await postCsv(srv.baseUrl, t.devHeaders, CAFE, false);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ applied: true, valid: true });
    expect(r.body.change_seq).toBeGreaterThan(0);
    const rows = await catalogOf(srv.app, t.tenantId);
    expect(rows.map((x) => [x.product_sku, x.product_name, x.category, x.variant_sku, x.variant_name, x.barcodes, Number(x.price), x.cost === null ? null : Number(x.cost), x.options])).toEqual([
      ['CROISSANT', 'Croissant', 'Bakery', null, 'Regular', '8992004', 1_800_000, null, {}],
      ['LATTE', 'Caffe Latte', 'Coffee', 'LATTE-R', 'Regular', '8991001|8991002', 2_500_000, 800_000, { size: 'R' }],
      ['LATTE', 'Caffe Latte', 'Coffee', 'LATTE-L', 'Large', '8991003', 3_000_000, 900_000, { size: 'L' }],
      ['TEA', 'Iced Tea', 'Tea', 'TEA-1', 'Regular', null, 1_500_050, null, {}],
    ]);
    // "Drinks" is found again for drinks/Tea (names compare case-insensitively): two top-level categories.
    const cats = await tenantQuery<{ name: string; parent: string | null }>(srv.app, t.tenantId, sql`SELECT c.name, p.name AS parent FROM categories c LEFT JOIN categories p ON p.tenant_id = c.tenant_id AND p.id = c.parent_id WHERE c.tenant_id = ${t.tenantId} ORDER BY c.name`);
    expect(cats).toEqual([{ name: 'Bakery', parent: null }, { name: 'Coffee', parent: 'Drinks' }, { name: 'Drinks', parent: null }, { name: 'Tea', parent: 'Drinks' }]);
    const products = await tenantQuery<{ sku: string; track_stock: boolean; tax: string | null; change_seq: string | number }>(srv.app, t.tenantId, sql`SELECT p.sku, p.track_stock, tc.code AS tax, p.change_seq FROM products p LEFT JOIN tax_categories tc ON tc.tenant_id = p.tenant_id AND tc.id = p.tax_category_id WHERE p.tenant_id = ${t.tenantId} ORDER BY p.sku`);
    expect(products.map((p) => [p.sku, p.track_stock, p.tax, Number(p.change_seq)])).toEqual([
      ['CROISSANT', true, null, r.body.change_seq],
      ['LATTE', true, 'VAT', r.body.change_seq],
      ['TEA', false, null, r.body.change_seq],
    ]);
    const events = await tenantQuery<{ type: string; n: string | number }>(srv.app, t.tenantId, sql`SELECT type, count(*) AS n FROM outbox_events WHERE tenant_id = ${t.tenantId} GROUP BY type ORDER BY type`);
    expect(events.map((e) => [e.type, Number(e.n)])).toEqual([['price.changed', 1], ['product.created', 3]]);
  });

  it('exports what it imported, and re-importing the export changes nothing', async () => {
    const t = await tenantWithTax();
    await postCsv(srv.baseUrl, t.devHeaders, CAFE, false);
    const exported = await exportCsv(srv.baseUrl, t.devHeaders);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = exported.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('product_id,product_sku,product_name,description,category,tags,type,tax_category,track_stock,active,variant_id,variant_sku,variant_name,barcodes,cost,price,weight_based,variant_active,option:size');
    expect(lines).toHaveLength(5);
    expect(lines.find((l) => l.includes('LATTE-R'))).toContain(',Caffe Latte,,Drinks/Coffee,,standard,VAT,true,true,');
    const again = await postCsv(srv.baseUrl, t.devHeaders, exported.text, true);
    expect(again.body).toMatchObject({ valid: true, changes: [] });
    expect(again.body.summary).toMatchObject({ products: { create: 0, update: 0, unchanged: 3 }, variants: { create: 0, update: 0, unchanged: 4 }, categories: { create: 0 }, prices: { set: 0, unchanged: 4 } });
  });

  it('upserts by SKU: changes only what differs, and records product.updated and price.changed', async () => {
    const t = await tenantWithTax();
    await postCsv(srv.baseUrl, t.devHeaders, CAFE, false);
    const edit = csv('product_sku,product_name,variant_sku,variant_name,price', 'LATTE,Cafe Latte,LATTE-R,Regular,26000', 'LATTE,,LATTE-L,Large,30000', 'TEA,Iced Tea,TEA-2,Large,17000');
    const r = await postCsv(srv.baseUrl, t.devHeaders, edit, false);
    expect(r.body.summary).toMatchObject({ products: { create: 0, update: 1, unchanged: 1 }, variants: { create: 1, update: 0, unchanged: 2 }, prices: { set: 2, unchanged: 1 } });
    expect(r.body.changes).toEqual(
      expect.arrayContaining([
        { row: 2, entity: 'product', action: 'update', key: 'LATTE', fields: ['name'] },
        { row: 2, entity: 'price', action: 'set', key: 'LATTE-R' },
        { row: 4, entity: 'variant', action: 'create', key: 'TEA-2' },
      ]),
    );
    const rows = await catalogOf(srv.app, t.tenantId);
    expect(rows.filter((x) => x.product_sku === 'LATTE').map((x) => [x.product_name, x.variant_sku, Number(x.price), x.barcodes])).toEqual([
      ['Cafe Latte', 'LATTE-R', 2_600_000, '8991001|8991002'],
      ['Cafe Latte', 'LATTE-L', 3_000_000, '8991003'],
    ]);
    const updated = await tenantQuery<{ aggregate_id: string }>(srv.app, t.tenantId, sql`SELECT aggregate_id FROM outbox_events WHERE tenant_id = ${t.tenantId} AND type = 'product.updated'`);
    expect(updated).toHaveLength(2);
  });

  it('accepts the CSV as a multipart file', async () => {
    const t = await tenantWithTax();
    const form = new FormData();
    form.append('file', new Blob([CAFE], { type: 'text/csv' }), 'catalog.csv');
    const res = await fetch(`${srv.baseUrl}/api/v1/catalog/import?dry_run=true`, { method: 'POST', headers: t.devHeaders, body: form });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { summary: { rows: number } }).summary.rows).toBe(4);
  });

  it('keeps tenants apart: the same SKUs in two tenants are two catalogs', async () => {
    const a = await tenantWithTax();
    const b = await tenantWithTax();
    await postCsv(srv.baseUrl, a.devHeaders, CAFE, false);
    const r = await postCsv(srv.baseUrl, b.devHeaders, CAFE, true);
    expect(r.body.summary.products).toEqual({ create: 3, update: 0, unchanged: 0 });
    expect((await exportCsv(srv.baseUrl, b.devHeaders)).text.trimEnd().split('\r\n')).toHaveLength(1);
  });

  it('imports a file larger than one write batch, and the export of it re-imports as no change', async () => {
    const t = await tenantWithTax();
    const lines = ['product_sku,product_name,category,variant_sku,variant_name,barcodes,price'];
    for (let i = 0; i < 1250; i++) {
      for (const size of ['S', 'L']) lines.push(`P${i},Product ${i},Group ${i % 7}/Sub ${i % 3},P${i}-${size},${size},${i}${size === 'S' ? 1 : 2}0099,${1000 + i}.50`);
    }
    const r = await postCsv(srv.baseUrl, t.devHeaders, csv(...lines), false);
    expect(r.status).toBe(200);
    expect(r.body.summary).toMatchObject({ rows: 2500, products: { create: 1250 }, variants: { create: 2500 }, categories: { create: 28 }, prices: { set: 2500 } });
    const exported = await exportCsv(srv.baseUrl, t.devHeaders);
    expect(exported.text.trimEnd().split('\r\n')).toHaveLength(2501);
    const again = await postCsv(srv.baseUrl, t.devHeaders, exported.text, true);
    expect(again.body.summary).toMatchObject({ products: { unchanged: 1250 }, variants: { unchanged: 2500 }, prices: { unchanged: 2500 } });
    expect(again.body.changes).toEqual([]);
  });

  it('follows the default-variant rule: new variants replace an untouched placeholder, naming it makes it the user’s', async () => {
    const t = await tenantWithTax();
    for (const [sku, name] of [['LATTE', 'Latte'], ['MOCHA', 'Mocha']]) {
      expect((await call(srv.baseUrl, 'POST', '/api/v1/products', { headers: t.devHeaders, body: { name, sku } })).status).toBe(201);
    }
    const dry = await postCsv(srv.baseUrl, t.devHeaders, csv('product_sku,variant_name,price', 'LATTE,Small,20000', 'LATTE,Large,30000', 'MOCHA,Regular,22000'), true);
    expect(dry.body.changes).toContainEqual({ row: 2, entity: 'variant', action: 'replace_placeholder', key: 'LATTE / Regular' });
    const r = await postCsv(srv.baseUrl, t.devHeaders, csv('product_sku,variant_name,price', 'LATTE,Small,20000', 'LATTE,Large,30000', 'MOCHA,Regular,22000'), false);
    expect(r.body.summary.variants).toEqual({ create: 2, update: 0, unchanged: 1 });
    expect((await catalogOf(srv.app, t.tenantId)).map((x) => [x.product_sku, x.variant_name, Number(x.price)])).toEqual([
      ['LATTE', 'Small', 2_000_000],
      ['LATTE', 'Large', 3_000_000],
      ['MOCHA', 'Regular', 2_200_000],
    ]);
    const flags = await tenantQuery<{ auto_created: boolean }>(srv.app, t.tenantId, sql`SELECT auto_created FROM variants WHERE tenant_id = ${t.tenantId}`);
    expect(flags.every((f) => !f.auto_created)).toBe(true);
    const tombs = await tenantQuery<{ n: string | number }>(srv.app, t.tenantId, sql`SELECT count(*) AS n FROM catalog_tombstones WHERE tenant_id = ${t.tenantId} AND entity_type = 'variant'`);
    expect(Number(tombs[0]!.n)).toBe(1);
  });
});
