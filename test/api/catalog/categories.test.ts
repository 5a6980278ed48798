import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTenant, startCatalogServer, type Client, type TestServer } from './support.js';

let s: TestServer;
let api: Client;
let other: Client;

beforeAll(async () => {
  s = await startCatalogServer();
  api = as(s, await createTenant(s.app));
  other = as(s, await createTenant(s.app));
});
afterAll(() => s.stop());

const create = async (body: Record<string, unknown>) => {
  const r = await api.post('/api/v1/categories', body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; name: string };
};
const fieldsOf = (r: { body: { error: { details: { fields: { field: string }[] } } } }) => r.body.error.details.fields.map((f) => f.field);

describe('categories over REST', () => {
  it('creates nested categories with sort order, colour and active flag', async () => {
    const drinks = await create({ name: 'Drinks', sort_order: 1, color: '#1e88e5' });
    const coffee = await api.post('/api/v1/categories', { name: 'Coffee', parent_id: drinks.id, sort_order: 2, active: false });
    expect(coffee.body).toMatchObject({ name: 'Coffee', parent_id: drinks.id, sort_order: 2, active: false, color: null, archived_at: null });
    expect((await api.get(`/api/v1/categories/${drinks.id}`)).body).toMatchObject({ name: 'Drinks', color: '#1E88E5', parent_id: null, active: true });
  });

  it('lists by parent (or top level with parent_id=none) and by active', async () => {
    const root = await create({ name: 'Food' });
    const a = await create({ name: 'Cakes', parent_id: root.id });
    const b = await create({ name: 'Bread', parent_id: root.id, active: false });
    const children = await api.get(`/api/v1/categories?parent_id=${root.id}`);
    expect(children.body.items.map((c: { id: string }) => c.id)).toEqual([a.id, b.id]);
    const activeChildren = await api.get(`/api/v1/categories?parent_id=${root.id}&active=true`);
    expect(activeChildren.body.items.map((c: { id: string }) => c.id)).toEqual([a.id]);
    const top = await api.get('/api/v1/categories?parent_id=none&page_size=100');
    expect(top.body.items.map((c: { id: string }) => c.id)).toContain(root.id);
    expect(top.body.items.map((c: { id: string }) => c.id)).not.toContain(a.id);
  });

  it('refuses making a category its own parent or placing it under a descendant', async () => {
    const a = await create({ name: 'A' });
    const b = await create({ name: 'B', parent_id: a.id });
    const c = await create({ name: 'C', parent_id: b.id });
    for (const parent of [a.id, b.id, c.id]) {
      const r = await api.patch(`/api/v1/categories/${a.id}`, { parent_id: parent });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'CATEGORY_CYCLE', details: { field: 'parent_id' } });
    }
    expect((await api.get(`/api/v1/categories/${a.id}`)).body.parent_id).toBeNull();
    // A legal move still works: C to the top level, then A under C.
    expect((await api.patch(`/api/v1/categories/${c.id}`, { parent_id: null })).body.parent_id).toBeNull();
    expect((await api.patch(`/api/v1/categories/${a.id}`, { parent_id: c.id })).body.parent_id).toBe(c.id);
  });

  it('refuses nesting deeper than 10 levels', async () => {
    let parent: string | null = null;
    for (let i = 0; i < 10; i++) parent = (await create({ name: `L${i}`, parent_id: parent })).id;
    const r = await api.post('/api/v1/categories', { name: 'L10', parent_id: parent });
    expect(r.status).toBe(400);
    expect(fieldsOf(r)).toEqual(['parent_id']);
  });

  it('names every invalid field and writes nothing', async () => {
    const before = (await api.get('/api/v1/categories?page_size=100&include_archived=true')).body.items.length;
    const r = await api.post('/api/v1/categories', { name: '', sort_order: 1.5, color: 'blue', parent_id: 'nope', image_id: 12, surprise: true });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(r)).toEqual(expect.arrayContaining(['name', 'sort_order', 'color', 'parent_id', 'image_id']));
    const unknownRefs = await api.post('/api/v1/categories', { name: 'Ghost', parent_id: '0192e3a4-5b6c-7d8e-9f00-112233445566', image_id: '0192e3a4-5b6c-7d8e-9f00-112233445567' });
    expect(unknownRefs.status).toBe(400);
    expect(fieldsOf(unknownRefs)).toEqual(['parent_id']);
    const noImage = await api.post('/api/v1/categories', { name: 'Ghost', image_id: '0192e3a4-5b6c-7d8e-9f00-112233445567' });
    expect(fieldsOf(noImage)).toEqual(['image_id']);
    expect((await api.get('/api/v1/categories?page_size=100&include_archived=true')).body.items.length).toBe(before);
  });

  it('archives: hidden from lists by default, still readable by id, frozen, and no longer a parent', async () => {
    const old = await create({ name: 'Seasonal' });
    const archived = await api.post(`/api/v1/categories/${old.id}/archive`);
    expect(archived.status).toBe(200);
    expect(archived.body).toMatchObject({ id: old.id, active: false, archived_at: expect.any(String) });
    const again = await api.post(`/api/v1/categories/${old.id}/archive`);
    expect(again.body.archived_at).toBe(archived.body.archived_at);
    expect((await api.get('/api/v1/categories?page_size=100')).body.items.map((c: { id: string }) => c.id)).not.toContain(old.id);
    expect((await api.get('/api/v1/categories?page_size=100&include_archived=true')).body.items.map((c: { id: string }) => c.id)).toContain(old.id);
    expect((await api.get(`/api/v1/categories/${old.id}`)).body.name).toBe('Seasonal');
    const edit = await api.patch(`/api/v1/categories/${old.id}`, { name: 'Back' });
    expect([edit.status, edit.body.error.code]).toEqual([409, 'CATEGORY_ARCHIVED']);
    const child = await api.post('/api/v1/categories', { name: 'Child', parent_id: old.id });
    expect([child.status, fieldsOf(child)]).toEqual([400, ['parent_id']]);
  });

  it('pages with page_size and next_page_token', async () => {
    const root = await create({ name: 'Paged' });
    for (const name of ['P1', 'P2', 'P3']) await create({ name, parent_id: root.id });
    const first = await api.get(`/api/v1/categories?parent_id=${root.id}&page_size=2`);
    expect(first.body.items.map((c: { name: string }) => c.name)).toEqual(['P1', 'P2']);
    const second = await api.get(`/api/v1/categories?parent_id=${root.id}&page_size=2&page_token=${first.body.next_page_token}`);
    expect(second.body).toMatchObject({ items: [{ name: 'P3' }], next_page_token: '' });
  });

  it('does not show or change one tenant’s category for another (404)', async () => {
    const mine = await create({ name: 'Secret' });
    expect((await other.get(`/api/v1/categories/${mine.id}`)).status).toBe(404);
    expect((await other.patch(`/api/v1/categories/${mine.id}`, { name: 'Hijacked' })).status).toBe(404);
    expect((await other.post(`/api/v1/categories/${mine.id}/archive`)).status).toBe(404);
    const child = await other.post('/api/v1/categories', { name: 'Child', parent_id: mine.id });
    expect([child.status, fieldsOf(child)]).toEqual([400, ['parent_id']]);
    expect((await api.get(`/api/v1/categories/${mine.id}`)).body).toMatchObject({ name: 'Secret', archived_at: null });
  });
});
