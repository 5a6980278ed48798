import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordTombstone, tickCatalogClock } from '../../../src/modules/catalog/index.js';
import { uuidv7 } from '../../../src/platform/ids.js';
import { as, createTenant, inTenant, sku, startCatalogServer, type Client, type TestServer, type TestTenant } from './support.js';

let s: TestServer;

beforeAll(async () => {
  s = await startCatalogServer();
});
afterAll(() => s.stop());

interface Change {
  type: string;
  op: 'upsert' | 'delete';
  id: string;
  seq: string;
  data: Record<string, unknown> | null;
}

/** A register's offline copy: applies pages in order and keeps the cursor. */
class Replica {
  rows = new Map<string, Record<string, unknown>>();
  cursor = '0';
  seen: Change[] = [];
  constructor(private readonly api: Client) {}

  async sync(limit?: number): Promise<number> {
    let pages = 0;
    for (;;) {
      const r = await this.api.get(`/api/v1/catalog/changes?since=${encodeURIComponent(this.cursor)}${limit ? `&limit=${limit}` : ''}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      for (const c of r.body.changes as Change[]) {
        this.seen.push(c);
        if (c.op === 'upsert') this.rows.set(`${c.type}:${c.id}`, c.data!);
        else this.rows.delete(`${c.type}:${c.id}`);
      }
      this.cursor = r.body.next_cursor;
      pages++;
      if (!r.body.has_more) return pages;
    }
  }

  of(type: string): Record<string, unknown>[] {
    return [...this.rows.entries()].filter(([k]) => k.startsWith(`${type}:`)).map(([, v]) => v);
  }
}

async function fresh(): Promise<{ t: TestTenant; api: Client }> {
  const t = await createTenant(s.app);
  return { t, api: as(s, t) };
}

const fullCopy = async (api: Client) => {
  const r = new Replica(api);
  await r.sync();
  return r.rows;
};

describe('catalog change feed', () => {
  it('returns a write made after the cursor, and only that', async () => {
    const { api } = await fresh();
    await api.post('/api/v1/categories', { name: 'Drinks' });
    const replica = new Replica(api);
    await replica.sync();
    expect(replica.of('category')).toMatchObject([{ name: 'Drinks' }]);
    const cursor = replica.cursor;
    expect(cursor).toMatch(/^\d+$/);
    const p = (await api.post('/api/v1/products', { name: 'Espresso', variants: [{ name: 'Single', barcodes: ['123'] }] })).body;
    const r = await api.get(`/api/v1/catalog/changes?since=${cursor}`);
    expect(r.body.changes.map((c: Change) => [c.type, c.op, c.id])).toEqual([
      ['product', 'upsert', p.id],
      ['variant', 'upsert', p.variants[0].id],
    ]);
    expect(r.body.changes[1].data).toMatchObject({ name: 'Single', product_id: p.id, barcodes: ['123'] });
    expect(r.body.changes[1].data).not.toHaveProperty('tenant_id');
    expect(r.body.has_more).toBe(false);
    expect(BigInt(r.body.next_cursor)).toBeGreaterThan(BigInt(cursor));
    const nothing = await api.get(`/api/v1/catalog/changes?since=${r.body.next_cursor}`);
    expect(nothing.body).toEqual({ changes: [], next_cursor: r.body.next_cursor, has_more: false });
  });

  it('reports deletions (the replaced default variant) and archives, and per-outlet availability', async () => {
    const { t, api } = await fresh();
    const replica = new Replica(api);
    const p = (await api.post('/api/v1/products', { name: 'Iced Latte', sku: sku('IL') })).body;
    await replica.sync();
    expect(replica.of('variant')).toMatchObject([{ id: p.variants[0].id, name: 'Regular' }]);
    const v = (await api.post(`/api/v1/products/${p.id}/variants`, { name: 'Regular', sku: sku('IL-REG') })).body;
    await api.post(`/api/v1/products/${p.id}/availability`, { outlet_id: t.outletId, available: false, reason: '86' });
    await replica.sync();
    expect(replica.of('variant')).toMatchObject([{ id: v.id }]);
    expect(replica.seen.filter((c) => c.op === 'delete')).toMatchObject([{ type: 'variant', id: p.variants[0].id, data: null }]);
    expect(replica.rows.get(`product_availability:${p.id}:${t.outletId}`)).toMatchObject({ available: false, reason: '86' });
    await api.post(`/api/v1/products/${p.id}/archive`);
    await replica.sync();
    expect(replica.of('product')).toMatchObject([{ id: p.id, active: false, archived_at: expect.any(String) }]);
  });

  it('covers every catalog table: tax, modifiers, links, price books, prices, images, and tombstones', async () => {
    const { t, api } = await fresh();
    const p = (await api.post('/api/v1/products', { name: 'Latte' })).body;
    const variantId = p.variants[0].id as string;
    const ids = { taxCat: uuidv7(), taxCat2: uuidv7(), rule: uuidv7(), group: uuidv7(), modifier: uuidv7(), book: uuidv7(), image: uuidv7(), gone: uuidv7() };
    await inTenant(s, t, async (tx) => {
      const seq = await tickCatalogClock(tx);
      const tid = t.tenantId;
      await tx.db.execute(sql`INSERT INTO tax_categories (tenant_id, id, code, name, change_seq) VALUES (${tid}, ${ids.taxCat}, 'FOOD', 'Food', ${seq}), (${tid}, ${ids.taxCat2}, 'BASIC', 'Basic', ${seq})`);
      await tx.db.execute(sql`INSERT INTO tax_rules (tenant_id, id, name, rate_bp, change_seq) VALUES (${tid}, ${ids.rule}, 'PB1', 1000, ${seq})`);
      await tx.db.execute(sql`INSERT INTO tax_exemptions (tenant_id, tax_rule_id, tax_category_id) VALUES (${tid}, ${ids.rule}, ${ids.taxCat2})`);
      await tx.db.execute(sql`INSERT INTO modifier_groups (tenant_id, id, name, change_seq) VALUES (${tid}, ${ids.group}, 'Milk', ${seq})`);
      await tx.db.execute(sql`INSERT INTO modifiers (tenant_id, id, group_id, name, price_delta, change_seq) VALUES (${tid}, ${ids.modifier}, ${ids.group}, 'Oat', 5000, ${seq})`);
      await tx.db.execute(sql`INSERT INTO product_modifier_groups (tenant_id, product_id, group_id, change_seq) VALUES (${tid}, ${p.id}, ${ids.group}, ${seq})`);
      await tx.db.execute(sql`INSERT INTO price_books (tenant_id, id, name, is_default, currency, change_seq) VALUES (${tid}, ${ids.book}, 'Default', true, 'IDR', ${seq})`);
      await tx.db.execute(sql`INSERT INTO prices (tenant_id, price_book_id, variant_id, amount, currency, change_seq) VALUES (${tid}, ${ids.book}, ${variantId}, 2500000, 'IDR', ${seq})`);
      await tx.db.execute(sql`INSERT INTO images (tenant_id, id, owner_type, owner_id, content_type, byte_size, width, height, storage_key, change_seq)
                              VALUES (${tid}, ${ids.image}, 'product', ${p.id}, 'image/png', 10, 1, 1, 'k', ${seq})`);
      await recordTombstone(tx, 'image', ids.gone, seq);
    });
    const rows = await fullCopy(api);
    expect(rows.get(`tax_category:${ids.taxCat}`)).toMatchObject({ code: 'FOOD' });
    expect(rows.get(`tax_rule:${ids.rule}`)).toMatchObject({ name: 'PB1', rate_bp: 1000, exempt_tax_category_ids: [ids.taxCat2] });
    expect(rows.get(`modifier_group:${ids.group}`)).toMatchObject({ name: 'Milk' });
    expect(rows.get(`modifier:${ids.modifier}`)).toMatchObject({ name: 'Oat', price_delta: 5000 });
    expect(rows.get(`product_modifier_group:${p.id}:${ids.group}`)).toMatchObject({ product_id: p.id, group_id: ids.group });
    expect(rows.get(`price_book:${ids.book}`)).toMatchObject({ is_default: true, currency: 'IDR' });
    expect(rows.get(`price:${ids.book}:${variantId}`)).toMatchObject({ amount: 2500000, currency: 'IDR' });
    expect(rows.get(`image:${ids.image}`)).toMatchObject({ owner_id: p.id });
    const all = (await api.get('/api/v1/catalog/changes')).body.changes as Change[];
    expect(all.find((c) => c.op === 'delete')).toEqual({ type: 'image', op: 'delete', id: ids.gone, seq: expect.any(String), data: null });
    // Within one seq, deletions come first, then parents before children.
    const lastSeq = all.at(-1)!.seq;
    expect(all.filter((c) => c.seq === lastSeq).map((c) => c.type)).toEqual([
      'image', 'tax_category', 'tax_category', 'modifier_group', 'modifier', 'product_modifier_group', 'tax_rule', 'price_book', 'price', 'image',
    ]);
  });

  it('never skips a change while writes and syncs interleave, at any page size', async () => {
    const { t, api } = await fresh();
    const replicas = [new Replica(api), new Replica(api), new Replica(api)];
    const limits = [1, 3, undefined];
    const products: string[] = [];
    for (let round = 0; round < 12; round++) {
      const p = (await api.post('/api/v1/products', { name: `Round ${round}`, variants: [{ name: 'A', barcodes: [`R${round}A`] }, { name: 'B' }] })).body;
      products.push(p.id);
      if (round % 3 === 1) await api.patch(`/api/v1/products/${products[round - 1]}`, { name: `Renamed ${round - 1}` });
      if (round % 4 === 2) await api.post(`/api/v1/products/${p.id}/availability`, { outlet_id: t.outletId, available: false });
      if (round % 5 === 3) await api.post(`/api/v1/variants/${p.variants[1].id}/archive`);
      await replicas[round % 3]!.sync(limits[round % 3]);
    }
    const truth = await fullCopy(api);
    for (const [i, r] of replicas.entries()) {
      await r.sync(limits[i]);
      expect(r.rows, `replica ${i}`).toEqual(truth);
    }
    expect(replicas[0]!.of('product').map((x) => x.id).sort()).toEqual([...products].sort());
    expect(truth.get(`product:${products[0]}`)).toMatchObject({ name: 'Renamed 0' });
  });

  it('never skips a change under concurrent writers and readers', async () => {
    const { api } = await fresh();
    const replica = new Replica(api);
    let writing = true;
    const reader = (async () => {
      while (writing) await replica.sync(7);
    })();
    const writes = Array.from({ length: 24 }, (_, i) => api.post('/api/v1/products', { name: `Concurrent ${i}`, variants: [{ name: 'A' }, { name: 'B' }, { name: 'C' }] }));
    const created = await Promise.all(writes);
    writing = false;
    await reader;
    await replica.sync(7);
    expect(created.every((r) => r.status === 201)).toBe(true);
    expect(replica.rows).toEqual(await fullCopy(api));
    expect(replica.of('product')).toHaveLength(24);
    expect(replica.of('variant')).toHaveLength(72);
  });

  it('splits one transaction larger than a page with a position cursor, delivering each row once', async () => {
    const { api } = await fresh();
    const p = (await api.post('/api/v1/products', { name: 'Big', variants: Array.from({ length: 7 }, (_, i) => ({ name: `V${i}` })) })).body;
    const replica = new Replica(api);
    const pages = await replica.sync(3);
    expect(pages).toBe(3);
    expect(replica.seen.map((c) => c.id)).toEqual([p.id, ...p.variants.map((v: { id: string }) => v.id)]);
    expect(replica.cursor).toMatch(/^\d+$/);
    // Pages end on a whole seq when they can: two one-row writes with limit 1 give plain cursors.
    await api.post('/api/v1/categories', { name: 'One' });
    const r = await api.get(`/api/v1/catalog/changes?since=${replica.cursor}&limit=1`);
    expect(r.body.next_cursor).toMatch(/^\d+$/);
  });

  it('refuses a malformed cursor or limit with 400, and keeps tenants apart', async () => {
    const { api } = await fresh();
    for (const since of ['abc', '-1', '1.5', '99999999999999999999', '5:widget:x']) {
      const r = await api.get(`/api/v1/catalog/changes?since=${encodeURIComponent(since)}`);
      expect([r.status, r.body.error.code, r.body.error.details.field], since).toEqual([400, 'INVALID_CHANGE_CURSOR', 'since']);
    }
    for (const limit of ['0', '5001', 'x', '2.5']) expect((await api.get(`/api/v1/catalog/changes?limit=${limit}`)).status, limit).toBe(400);
    expect((await api.get('/api/v1/catalog/changes?limit=5000')).status).toBe(200);
    const other = (await fresh()).api;
    await api.post('/api/v1/products', { name: 'Mine' });
    expect((await other.get('/api/v1/catalog/changes')).body.changes).toEqual([]);
  });
});
