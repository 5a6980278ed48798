import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicableTaxRules } from '../../../src/modules/catalog/index.js';
import { as, countRows, createTenant, fieldsOf, inTenant, query, startPricingServer, type Client, type TestServer, type TestTenant } from './support.js';

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

let n = 0;
const category = async (c: Client, name: string) => {
  const r = await c.post('/api/v1/tax-categories', { code: `${name.toUpperCase()}-${++n}`, name });
  expect(r.status).toBe(201);
  return r.body.id as string;
};

describe('tax categories', () => {
  it('creates, updates and lists categories; a duplicate code is 409 naming code', async () => {
    const t = await createTenant(s.app);
    const c = as(s, t);
    const food = await c.post('/api/v1/tax-categories', { code: 'FOOD', name: 'Food' });
    expect(food.body).toMatchObject({ code: 'FOOD', name: 'Food' });
    const dup = await c.post('/api/v1/tax-categories', { code: 'FOOD', name: 'Food again' });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'TAX_CATEGORY_CODE_TAKEN', details: { field: 'code' } });
    await c.post('/api/v1/tax-categories', { code: 'DRINK', name: 'Drinks' });
    expect((await c.patch(`/api/v1/tax-categories/${food.body.id}`, { name: 'Food & snacks' })).body.name).toBe('Food & snacks');
    expect((await c.patch(`/api/v1/tax-categories/${food.body.id}`, { code: 'DRINK' })).status).toBe(409);
    expect((await c.get('/api/v1/tax-categories')).body.items.map((x: { code: string }) => x.code)).toEqual(['FOOD', 'DRINK']);
    const bad = await c.post('/api/v1/tax-categories', { code: 'has space', name: '' });
    expect(fieldsOf(bad.body).sort()).toEqual(['code', 'name']);
  });

  it('deletes an unused category with a tombstone, and refuses one still in use with 409', async () => {
    const t = await createTenant(s.app);
    const c = as(s, t);
    const used = await category(c, 'Used');
    const unused = await category(c, 'Unused');
    await c.post('/api/v1/tax-rules', { name: 'VAT', rate_bps: 1100, tax_category_id: used });
    const refused = await c.delete(`/api/v1/tax-categories/${used}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'TAX_CATEGORY_IN_USE', details: { rules: 1 } });
    expect((await c.delete(`/api/v1/tax-categories/${unused}`)).status).toBe(204);
    expect((await c.get(`/api/v1/tax-categories/${unused}`)).status).toBe(404);
    expect(await query(s, t, sql`SELECT entity_type, entity_id FROM catalog_tombstones`)).toEqual([{ entity_type: 'tax_category', entity_id: unused }]);
  });
});

describe('tax rules', () => {
  it('creates a rule with limits and exemptions, and updates it', async () => {
    const food = await category(api, 'Food');
    const basic = await category(api, 'Basic');
    const r = await api.post('/api/v1/tax-rules', { name: 'PB1', rate_bps: 1000, inclusive: true, outlet_id: a.outletId, order_types: ['dine_in', 'takeaway'], exempt_tax_category_ids: [basic] });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: 'PB1', rate_bps: 1000, inclusive: true, compound: false, sequence: 0, tax_category_id: null, outlet_id: a.outletId, order_types: ['dine_in', 'takeaway'], exempt_tax_category_ids: [basic], active: true });
    const u = await api.patch(`/api/v1/tax-rules/${r.body.id}`, { exempt_tax_category_ids: [], tax_category_id: food, order_types: null, rate_bps: 1100 });
    expect(u.body).toMatchObject({ exempt_tax_category_ids: [], tax_category_id: food, order_types: null, rate_bps: 1100, inclusive: true });
    expect((await api.get(`/api/v1/tax-rules/${r.body.id}`)).body.rate_bps).toBe(1100);
  });

  it('refuses an inclusive compound rule with a clear message naming compound, on create and on update', async () => {
    const t = await createTenant(s.app);
    const c = as(s, t);
    const r = await c.post('/api/v1/tax-rules', { name: 'Bad', rate_bps: 500, inclusive: true, compound: true });
    expect(r.status).toBe(400);
    expect(r.body.error.details.fields).toEqual([{ field: 'compound', message: 'an inclusive tax cannot be compound: make it exclusive, or not compound' }]);
    expect(await countRows(s, t, 'tax_rules')).toBe(0);
    const ok = await c.post('/api/v1/tax-rules', { name: 'Good', rate_bps: 500, compound: true });
    const flip = await c.patch(`/api/v1/tax-rules/${ok.body.id}`, { inclusive: true });
    expect(fieldsOf(flip.body)).toEqual(['compound']);
    expect((await c.get(`/api/v1/tax-rules/${ok.body.id}`)).body.inclusive).toBe(false);
  });

  it.each([
    [{ name: 'x', rate_bps: -1 }, ['rate_bps']],
    [{ name: 'x', rate_bps: 100001 }, ['rate_bps']],
    [{ name: 'x', rate_bps: 10.5 }, ['rate_bps']],
    [{ name: 'x' }, ['rate_bps']],
    [{ name: 'x', rate_bps: 1, order_types: ['dine_in', 'drive_thru'] }, ['order_types.1']],
    [{ name: 'x', rate_bps: 1, order_types: ['dine_in', 'dine_in'] }, ['order_types.1']],
    [{ name: 'x', rate_bps: 1, order_types: [] }, ['order_types']],
    [{ name: 'x', rate_bps: 1, tax_category_id: '0190a0a0-0000-7000-8000-000000000001' }, ['tax_category_id']],
    [{ name: 'x', rate_bps: 1, exempt_tax_category_ids: ['0190a0a0-0000-7000-8000-000000000001'] }, ['exempt_tax_category_ids.0']],
  ])('refuses %j naming %j, writing nothing', async (body, fields) => {
    const t = await createTenant(s.app);
    const r = await as(s, t).post('/api/v1/tax-rules', body);
    expect(r.status).toBe(400);
    expect(fieldsOf(r.body)).toEqual(fields);
    expect(await countRows(s, t, 'tax_rules')).toBe(0);
  });

  it('refuses another tenant’s outlet and tax category naming the fields, and exempting its own category', async () => {
    const theirs = await category(as(s, b), 'Theirs');
    const r = await api.post('/api/v1/tax-rules', { name: 'x', rate_bps: 1, outlet_id: b.outletId, tax_category_id: theirs });
    expect(fieldsOf(r.body).sort()).toEqual(['outlet_id', 'tax_category_id']);
    const mine = await category(api, 'Mine');
    const own = await api.post('/api/v1/tax-rules', { name: 'x', rate_bps: 1, tax_category_id: mine, exempt_tax_category_ids: [mine] });
    expect(fieldsOf(own.body)).toEqual(['exempt_tax_category_ids.0']);
  });

  it('lists the applicable rules in application order for a category, outlet and order type', async () => {
    const t = await createTenant(s.app);
    const c = as(s, t);
    const food = await category(c, 'Food');
    const alcohol = await category(c, 'Alcohol');
    const mk = async (body: Record<string, unknown>) => (await c.post('/api/v1/tax-rules', { rate_bps: 1000, ...body })).body.id as string;
    const vat = await mk({ name: 'VAT', sequence: 2, exempt_tax_category_ids: [food] });
    const service = await mk({ name: 'Service charge tax', sequence: 1, order_types: ['dine_in'] });
    const luxury = await mk({ name: 'Luxury', compound: true, tax_category_id: alcohol });
    const local = await mk({ name: 'Local', outlet_id: t.outletId });
    const archived = await mk({ name: 'Old' });
    await c.post(`/api/v1/tax-rules/${archived}/archive`);
    const names = async (qs: string) => (await c.get(`/api/v1/tax-rules/applicable?${qs}`)).body.items.map((r: { name: string }) => r.name);
    expect(await names(`tax_category_id=${alcohol}&outlet_id=${t.outletId}&order_type=dine_in`)).toEqual(['Local', 'Service charge tax', 'VAT', 'Luxury']);
    expect(await names(`tax_category_id=${food}&order_type=takeaway`)).toEqual([]);
    expect(await names('')).toEqual(['VAT']);
    const inTx = await inTenant(s, t, (tx) => applicableTaxRules(tx, { taxCategoryId: alcohol, outletId: t.outletId, orderType: 'dine_in' }));
    expect(inTx.map((r) => r.id)).toEqual([local, service, vat, luxury]);
    expect((await c.get('/api/v1/tax-rules/applicable?order_type=drive_thru')).status).toBe(400);
  });

  it('archives a rule: it no longer applies and can no longer be changed', async () => {
    const r = await api.post('/api/v1/tax-rules', { name: 'Temp', rate_bps: 100 });
    const archived = await api.post(`/api/v1/tax-rules/${r.body.id}/archive`);
    expect(archived.body.archived_at).not.toBeNull();
    expect((await api.post(`/api/v1/tax-rules/${r.body.id}/archive`)).body.archived_at).toBe(archived.body.archived_at);
    expect((await api.patch(`/api/v1/tax-rules/${r.body.id}`, { rate_bps: 200 })).body.error.code).toBe('TAX_RULE_ARCHIVED');
    expect((await api.get('/api/v1/tax-rules?page_size=100')).body.items.map((x: { id: string }) => x.id)).not.toContain(r.body.id);
    expect((await api.get('/api/v1/tax-rules?page_size=100&include_archived=true')).body.items.map((x: { id: string }) => x.id)).toContain(r.body.id);
  });

  it('hides another tenant’s rules and categories: 404', async () => {
    const cat = await category(api, 'Private');
    const rule = (await api.post('/api/v1/tax-rules', { name: 'Private', rate_bps: 1 })).body.id;
    const other = as(s, b);
    expect((await other.get(`/api/v1/tax-rules/${rule}`)).body.error.code).toBe('TAX_RULE_NOT_FOUND');
    expect((await other.patch(`/api/v1/tax-rules/${rule}`, { rate_bps: 2 })).status).toBe(404);
    expect((await other.post(`/api/v1/tax-rules/${rule}/archive`)).status).toBe(404);
    expect((await other.get(`/api/v1/tax-categories/${cat}`)).body.error.code).toBe('TAX_CATEGORY_NOT_FOUND');
    expect((await other.delete(`/api/v1/tax-categories/${cat}`)).status).toBe(404);
    expect((await api.get(`/api/v1/tax-rules/${rule}`)).body.rate_bps).toBe(1);
  });
});
