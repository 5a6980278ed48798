import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestServer, type TestServer } from '../support/server.js';
import { catalogOf, csv, postCsv, seedTaxCategory, tenantQuery } from '../support/catalog-import.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({});
});
afterAll(() => srv?.stop());

const clock = async (tenantId: string) =>
  Number((await tenantQuery<{ seq: string | number }>(srv.app, tenantId, sql`SELECT coalesce(max(seq), 0) AS seq FROM catalog_clocks WHERE tenant_id = ${tenantId}`))[0]!.seq);

describe('catalog CSV import with bad rows', () => {
  const BAD = csv(
    'product_sku,product_name,variant_sku,barcodes,price,tax_category,track_stock',
    'A-1,Alpha,A-1-R,111,10000,,true', // fine
    'B-1,,B-1-R,,5000,,', // new product without a name
    'C-1,Charlie,C-1-R,111,"12,50",GST,maybe', // barcode used on row 2, price with a comma, unknown tax code, bad boolean
    'A-1,Alpha Two,A-1-L,,1,,', // product name differs from row 2
    'D-1,Delta,A-1-R,,,,', // variant SKU of another product (created on row 2)
  );

  it('lists every problem by row and column in a dry run', async () => {
    const t = await createTenant(srv.app);
    const r = await postCsv(srv.baseUrl, t.devHeaders, BAD, true);
    expect(r.status).toBe(200);
    expect(r.body.valid).toBe(false);
    const problems = r.body.errors.map((e: { row: number; column: string }) => `${e.row}:${e.column}`);
    expect(problems).toEqual(expect.arrayContaining(['3:product_name', '4:price', '4:tax_category', '4:track_stock', '4:barcodes', '5:product_name', '6:variant_sku']));
    expect(r.body.errors.find((e: { row: number; column: string }) => e.row === 4 && e.column === 'price').message).toBe('use a dot for decimals: 12.50');
    expect(r.body.errors.find((e: { row: number; column: string }) => e.row === 4 && e.column === 'barcodes').message).toMatch(/barcode 111 is also used by variant/);
  });

  it('writes nothing at all when any row is bad, not even the good rows', async () => {
    const t = await createTenant(srv.app);
    await seedTaxCategory(srv.app, t.tenantId, 'GST');
    const before = await clock(t.tenantId);
    const r = await postCsv(srv.baseUrl, t.devHeaders, BAD, false);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('CATALOG_IMPORT_INVALID');
    expect(r.body.error.details.error_count).toBeGreaterThanOrEqual(5);
    expect(r.body.error.details.errors).toContainEqual({ row: 3, column: 'product_name', message: 'a new product needs a name' });
    expect(await catalogOf(srv.app, t.tenantId)).toEqual([]);
    expect(await clock(t.tenantId)).toBe(before);
  });

  it('refuses SKUs and barcodes the catalog already uses elsewhere, but lets a file move them between its own rows', async () => {
    const t = await createTenant(srv.app);
    await postCsv(srv.baseUrl, t.devHeaders, csv('product_sku,product_name,variant_sku,barcodes', 'P-1,One,V-1,999', 'P-2,Two,V-2,888'), false);
    const clash = await postCsv(srv.baseUrl, t.devHeaders, csv('product_sku,product_name,variant_sku,barcodes', 'P-3,Three,V-1,', 'P-4,Four,V-4,888', 'V-2,Five,V-5,'), true);
    expect(clash.body.errors.map((e: { row: number; column: string }) => `${e.row}:${e.column}`).sort()).toEqual(['2:variant_sku', '3:barcodes', '4:product_sku']);
    // Swapping barcodes between two variants the file names is fine: both sets are replaced together.
    const swap = await postCsv(srv.baseUrl, t.devHeaders, csv('product_sku,variant_sku,barcodes', 'P-1,V-1,888', 'P-2,V-2,999'), false);
    expect(swap.status).toBe(200);
    expect((await catalogOf(srv.app, t.tenantId)).map((x) => [x.variant_sku, x.barcodes])).toEqual([['V-1', '888'], ['V-2', '999']]);
  });

  it('refuses unknown columns, a header without product_sku, short rows, unreadable and empty CSV', async () => {
    const t = await createTenant(srv.app);
    const unknown = await postCsv(srv.baseUrl, t.devHeaders, csv('product_sku,product_name,prise', 'X,Y,1'), true);
    expect(unknown.body.errors).toEqual([{ row: 1, column: 'prise', message: expect.stringMatching(/unknown column/) }]);
    const noKey = await postCsv(srv.baseUrl, t.devHeaders, csv('product_name,price', 'Y,1'), true);
    expect(noKey.body.errors[0]).toMatchObject({ row: 1, column: 'product_sku' });
    const short = await postCsv(srv.baseUrl, t.devHeaders, csv('product_sku,product_name', 'X'), true);
    expect(short.body.errors[0]).toMatchObject({ row: 2, message: 'has 1 cells; the header has 2' });
    const broken = await postCsv(srv.baseUrl, t.devHeaders, 'product_sku,product_name\n"X,Y\n', true);
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('CATALOG_IMPORT_MALFORMED');
    const empty = await postCsv(srv.baseUrl, t.devHeaders, 'product_sku,product_name\n', true);
    expect(empty.body.error.code).toBe('CATALOG_IMPORT_EMPTY');
    const json = await fetch(`${srv.baseUrl}/api/v1/catalog/import`, { method: 'POST', headers: { ...t.devHeaders, 'content-type': 'application/json' }, body: '{"rows":[]}' });
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe('CATALOG_IMPORT_EMPTY');
  });

  it('needs catalog write permission and credentials', async () => {
    const anon = await postCsv(srv.baseUrl, {}, csv('product_sku', 'X'), true);
    expect(anon.status).toBe(401);
    expect((await fetch(`${srv.baseUrl}/api/v1/catalog/export`)).status).toBe(401);
  });
});
