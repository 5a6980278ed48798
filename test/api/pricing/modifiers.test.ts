import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertModifierSelection, loadModifierRules } from '../../../src/modules/catalog/index.js';
import { as, countRows, createTenant, fieldsOf, inTenant, productFixture, query, startPricingServer, type Client, type TestServer, type TestTenant } from './support.js';

let s: TestServer;
let a: TestTenant;
let b: TestTenant;
let api: Client;

beforeAll(async () => {
  s = await startPricingServer();
  a = await createTenant(s.app);
  b = await createTenant(s.app);
  api = as(s, a);
});
afterAll(() => s.stop());

const sizeGroup = { name: 'Size', min_select: 1, max_select: 1, modifiers: [{ name: 'Small', price_delta: -3000 }, { name: 'Large', price_delta: '5000' }] };
const ids = (body: { modifier_groups: { id: string }[] }) => body.modifier_groups.map((g) => g.id);

describe('modifier groups', () => {
  it('creates a group with its modifiers, negative deltas included, required when min_select > 0', async () => {
    const { variantIds: [beans] } = await productFixture(s, a, ['Beans']);
    const r = await api.post('/api/v1/modifier-groups', {
      name: 'Extras',
      max_select: 3,
      allow_quantities: true,
      modifiers: [{ name: 'Extra shot', price_delta: 8000, linked_variant_id: beans, max_quantity: 2 }, { name: 'No ice', price_delta: -500 }],
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: 'Extras', min_select: 0, max_select: 3, required: false, allow_quantities: true, active: true });
    expect(r.body.modifiers.map((m: { name: string; price_delta: number; sort_order: number }) => [m.name, m.price_delta, m.sort_order])).toEqual([
      ['Extra shot', 8000, 0],
      ['No ice', -500, 1],
    ]);
    expect(r.body.modifiers[0]).toMatchObject({ linked_variant_id: beans, max_quantity: 2 });
    const size = await api.post('/api/v1/modifier-groups', sizeGroup);
    expect(size.body).toMatchObject({ required: true, min_select: 1 });
    expect((await api.get(`/api/v1/modifier-groups/${size.body.id}`)).body.modifiers).toHaveLength(2);
  });

  it('refuses min_select above max_select with 400 naming min_select, writing nothing', async () => {
    const t = await createTenant(s.app);
    const r = await as(s, t).post('/api/v1/modifier-groups', { name: 'Bad', min_select: 3, max_select: 2, required: true, modifiers: [{ name: 'A' }] });
    expect(r.status).toBe(400);
    expect(fieldsOf(r.body)).toEqual(['min_select']);
    expect(r.body.error.message).toContain('must not exceed max_select (2)');
    expect(await countRows(s, t, 'modifier_groups')).toBe(0);
    expect(await countRows(s, t, 'modifiers')).toBe(0);
  });

  it.each([
    [{ name: 'x', max_select: 0 }, ['max_select']],
    [{ name: 'x', min_select: -1 }, ['min_select']],
    [{ name: 'x', min_select: 2, required: false }, ['required']],
    [{ name: 'x', modifiers: [{ name: 'a', price_delta: 1.5 }, { name: '', max_quantity: 0 }] }, ['modifiers.0.price_delta', 'modifiers.1.name', 'modifiers.1.max_quantity']],
    [{ name: 'x', modifiers: [{ name: 'a', linked_variant_id: '0190a0a0-0000-7000-8000-000000000009' }] }, ['modifiers.0.linked_variant_id']],
  ])('refuses %j naming %j', async (body, fields) => {
    const t = await createTenant(s.app);
    const r = await as(s, t).post('/api/v1/modifier-groups', body);
    expect(r.status).toBe(400);
    expect(fieldsOf(r.body).sort()).toEqual([...fields].sort());
    expect(await countRows(s, t, 'modifier_groups')).toBe(0);
  });

  it('checks an update against the merged group', async () => {
    const g = await api.post('/api/v1/modifier-groups', { name: 'Milk', max_select: 2 });
    const bad = await api.patch(`/api/v1/modifier-groups/${g.body.id}`, { min_select: 3 });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body)).toEqual(['min_select']);
    const ok = await api.patch(`/api/v1/modifier-groups/${g.body.id}`, { min_select: 1, name: 'Milk choice' });
    expect(ok.body).toMatchObject({ min_select: 1, max_select: 2, required: true, name: 'Milk choice' });
    const unlimited = await api.patch(`/api/v1/modifier-groups/${g.body.id}`, { max_select: null });
    expect(unlimited.body.max_select).toBeNull();
  });

  it('adds, updates and archives modifiers', async () => {
    const g = await api.post('/api/v1/modifier-groups', { name: 'Syrup' });
    const m = await api.post(`/api/v1/modifier-groups/${g.body.id}/modifiers`, { name: 'Vanilla', price_delta: 3000 });
    expect(m.status).toBe(201);
    expect(m.body).toMatchObject({ modifier_group_id: g.body.id, price_delta: 3000, sort_order: 0 });
    const u = await api.patch(`/api/v1/modifiers/${m.body.id}`, { price_delta: '3500', active: false });
    expect(u.body).toMatchObject({ price_delta: 3500, active: false });
    const archived = await api.post(`/api/v1/modifiers/${m.body.id}/archive`);
    expect(archived.body.archived_at).not.toBeNull();
    expect((await api.get(`/api/v1/modifier-groups/${g.body.id}`)).body.modifiers).toEqual([]);
    const gone = await api.post(`/api/v1/modifier-groups/${g.body.id}/archive`);
    expect(gone.body.archived_at).not.toBeNull();
    const late = await api.post(`/api/v1/modifier-groups/${g.body.id}/modifiers`, { name: 'Caramel' });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('MODIFIER_GROUP_ARCHIVED');
  });

  it('hides another tenant’s groups and modifiers: 404', async () => {
    const g = await api.post('/api/v1/modifier-groups', sizeGroup);
    const other = as(s, b);
    expect((await other.get(`/api/v1/modifier-groups/${g.body.id}`)).status).toBe(404);
    expect((await other.patch(`/api/v1/modifier-groups/${g.body.id}`, { name: 'x' })).status).toBe(404);
    expect((await other.post(`/api/v1/modifier-groups/${g.body.id}/archive`)).status).toBe(404);
    expect((await other.post(`/api/v1/modifier-groups/${g.body.id}/modifiers`, { name: 'x' })).status).toBe(404);
    expect((await other.patch(`/api/v1/modifiers/${g.body.modifiers[0].id}`, { name: 'x' })).status).toBe(404);
    expect((await other.get('/api/v1/modifier-groups')).body.items.map((x: { id: string }) => x.id)).not.toContain(g.body.id);
  });
});

describe('attaching groups to products', () => {
  it('replaces the product’s groups with an ordered list, and validates selections against them', async () => {
    const { productId } = await productFixture(s, a);
    const size = (await api.post('/api/v1/modifier-groups', sizeGroup)).body;
    const milk = (await api.post('/api/v1/modifier-groups', { name: 'Milk', max_select: 1, modifiers: [{ name: 'Oat', price_delta: 7000 }] })).body;
    const put = await api.put(`/api/v1/products/${productId}/modifier-groups`, { modifier_group_ids: [milk.id, size.id] });
    expect(put.status).toBe(200);
    expect(ids(put.body)).toEqual([milk.id, size.id]);
    const reordered = await api.put(`/api/v1/products/${productId}/modifier-groups`, { modifier_group_ids: [size.id, milk.id] });
    expect(ids(reordered.body)).toEqual([size.id, milk.id]);
    expect(ids((await api.get(`/api/v1/products/${productId}/modifier-groups`)).body)).toEqual([size.id, milk.id]);

    const rules = await inTenant(s, a, (tx) => loadModifierRules(tx, [productId]));
    const ok = assertModifierSelection(rules.get(productId)!, [{ modifierId: milk.modifiers[0].id }, { modifierId: size.modifiers[1].id }]);
    expect(ok.priceDeltaTotal).toBe(12000n);
    expect(() => assertModifierSelection(rules.get(productId)!, [{ modifierId: milk.modifiers[0].id }])).toThrow(/Size is required/);
  });

  it('refuses a group listed twice with 400 naming its position, changing nothing', async () => {
    const { productId } = await productFixture(s, a);
    const size = (await api.post('/api/v1/modifier-groups', sizeGroup)).body;
    await api.put(`/api/v1/products/${productId}/modifier-groups`, { modifier_group_ids: [size.id] });
    const r = await api.put(`/api/v1/products/${productId}/modifier-groups`, { modifier_group_ids: [size.id, size.id] });
    expect(r.status).toBe(400);
    expect(fieldsOf(r.body)).toEqual(['modifier_group_ids.1']);
    expect(r.body.error.message).toContain('attached twice');
    expect(ids((await api.get(`/api/v1/products/${productId}/modifier-groups`)).body)).toEqual([size.id]);
  });

  it('refuses attaching a group that is already attached with 409 MODIFIER_GROUP_ALREADY_ATTACHED', async () => {
    const { productId } = await productFixture(s, a);
    const size = (await api.post('/api/v1/modifier-groups', sizeGroup)).body;
    const milk = (await api.post('/api/v1/modifier-groups', { name: 'Milk' })).body;
    expect(ids((await api.post(`/api/v1/products/${productId}/modifier-groups`, { modifier_group_id: size.id })).body)).toEqual([size.id]);
    expect(ids((await api.post(`/api/v1/products/${productId}/modifier-groups`, { modifier_group_id: milk.id })).body)).toEqual([size.id, milk.id]);
    const again = await api.post(`/api/v1/products/${productId}/modifier-groups`, { modifier_group_id: size.id });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'MODIFIER_GROUP_ALREADY_ATTACHED', details: { field: 'modifier_group_id' } });
  });

  it('detaches a group, tombstoning the product’s links for the change feed', async () => {
    const t = await createTenant(s.app);
    const c = as(s, t);
    const { productId } = await productFixture(s, t);
    const g1 = (await c.post('/api/v1/modifier-groups', { name: 'One' })).body;
    const g2 = (await c.post('/api/v1/modifier-groups', { name: 'Two' })).body;
    await c.put(`/api/v1/products/${productId}/modifier-groups`, { modifier_group_ids: [g1.id, g2.id] });
    const r = await c.delete(`/api/v1/products/${productId}/modifier-groups/${g1.id}`);
    expect(ids(r.body)).toEqual([g2.id]);
    expect((await c.delete(`/api/v1/products/${productId}/modifier-groups/${g1.id}`)).status).toBe(404);
    const rows = await query<{ entity_type: string; entity_id: string; change_seq: string }>(s, t, sql`SELECT entity_type, entity_id, change_seq::text FROM catalog_tombstones`);
    expect(rows).toEqual([expect.objectContaining({ entity_type: 'product_modifier_groups', entity_id: productId })]);
    const links = await query<{ change_seq: string }>(s, t, sql`SELECT change_seq::text FROM product_modifier_groups`);
    expect(links).toEqual([{ change_seq: rows[0]!.change_seq }]);
  });

  it('refuses unknown and archived groups naming them, and leaves archived groups out of the product’s list', async () => {
    const { productId } = await productFixture(s, a);
    const keep = (await api.post('/api/v1/modifier-groups', { name: 'Keep' })).body;
    const old = (await api.post('/api/v1/modifier-groups', { name: 'Old' })).body;
    const foreign = (await as(s, b).post('/api/v1/modifier-groups', { name: 'Foreign' })).body;
    await api.put(`/api/v1/products/${productId}/modifier-groups`, { modifier_group_ids: [keep.id, old.id] });
    await api.post(`/api/v1/modifier-groups/${old.id}/archive`);
    expect(ids((await api.get(`/api/v1/products/${productId}/modifier-groups`)).body)).toEqual([keep.id]);
    const r = await api.put(`/api/v1/products/${productId}/modifier-groups`, { modifier_group_ids: [keep.id, foreign.id, old.id] });
    expect(r.status).toBe(400);
    expect(fieldsOf(r.body)).toEqual(['modifier_group_ids.1', 'modifier_group_ids.2']);
  });

  it('answers 404 PRODUCT_NOT_FOUND for another tenant’s product', async () => {
    const { productId } = await productFixture(s, b);
    const size = (await api.post('/api/v1/modifier-groups', sizeGroup)).body;
    for (const r of [
      await api.get(`/api/v1/products/${productId}/modifier-groups`),
      await api.put(`/api/v1/products/${productId}/modifier-groups`, { modifier_group_ids: [size.id] }),
      await api.post(`/api/v1/products/${productId}/modifier-groups`, { modifier_group_id: size.id }),
    ]) {
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('PRODUCT_NOT_FOUND');
    }
    expect(await countRows(s, b, 'product_modifier_groups')).toBe(0);
  });
});
