import type { Client } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/platform/ids.js';
import { ok, rpc, startTestGrpcServer, type Body, type TestGrpcServer } from '../support/grpc.js';
import { createTenant, type TestTenant } from '../support/server.js';

/** pos.v1.CatalogService prices, price books, modifiers and tax configuration, over the wire. */
let s: TestGrpcServer;
let catalog: Client;
beforeAll(async () => {
  s = await startTestGrpcServer();
  catalog = s.client('CatalogService');
});
afterAll(() => s.stop());

const as = (t: TestTenant) => ({
  t,
  ok: (method: string, req: object = {}): Promise<Body> => ok(rpc(catalog, method, req, t.devHeaders)),
  fail: async (method: string, req: object = {}) => {
    const r = await rpc(catalog, method, req, t.devHeaders);
    if (r.ok) throw new Error(`${method} succeeded: ${JSON.stringify(r.body)}`);
    return { code: r.codeName, reason: r.details?.errorInfo?.reason, info: r.details?.errorInfo, fields: (r.details?.fieldViolations ?? []).map((f) => f.field), message: r.message };
  },
});
type As = ReturnType<typeof as>;
const variantOf = async (c: As, name = 'Latte'): Promise<string> => (await c.ok('CreateProduct', { name, variants: [{ name: 'Cup' }] })).product.variants[0].id;

describe('gRPC prices and price books', () => {
  it('sets the default and an outlet price, lists them, and resolves the happy-hour book inside its hours', async () => {
    const c = as(await createTenant(s.app));
    const v = await variantOf(c);
    expect((await c.ok('SetPrice', { variant_id: v, amount: '2500000', currency: 'IDR' })).price).toMatchObject({ amount: '2500000', is_default: true, price_book_name: expect.any(String) });
    const outlet = (await c.ok('SetPrice', { variant_id: v, amount: '2700000', currency: 'IDR', outlet_id: c.t.outletId })).price;
    expect(outlet).toMatchObject({ amount: '2700000', is_default: false, outlet_id: c.t.outletId });
    const listed = await c.ok('GetVariantPrices', { variant_id: v });
    expect(listed.prices.map((p: Body) => [p.amount, p.is_default, p.book_active, p.book_archived]).sort()).toEqual([
      ['2500000', true, true, false],
      ['2700000', false, true, false],
    ]);

    const happy = (await c.ok('CreatePriceBook', { name: 'Happy hour', priority: 10, hours_start: '16:00', hours_end: '18:00', days_of_week: ['mon', 'tue'] })).price_book;
    expect(happy).toMatchObject({ name: 'Happy hour', priority: 10, currency: 'IDR', is_default: false, hours_start: '16:00', hours_end: '18:00', days_of_week: ['mon', 'tue'], active: true });
    const set = await c.ok('SetPriceBookPrices', { price_book_id: happy.id, set: [{ variant_id: v, amount: '1800000' }] });
    expect(set).toMatchObject({ price_book_id: happy.id, set: [{ variant_id: v, amount: '1800000', currency: 'IDR' }], removed: [] });
    expect((await c.ok('ListPriceBookPrices', { price_book_id: happy.id })).prices).toEqual([expect.objectContaining({ variant_id: v, amount: '1800000' })]);

    const at = (time: string) => c.ok('ResolvePrices', { variant_ids: [v], outlet_id: c.t.outletId, at: `2025-03-03T${time}:00+07:00` }); // a Monday
    expect((await at('16:30')).items).toEqual([{ variant_id: v, price: expect.objectContaining({ amount: '1800000', price_book_id: happy.id }) }]);
    expect((await at('19:00')).items[0].price).toMatchObject({ amount: '2700000' });

    const allDay = (await c.ok('UpdatePriceBook', { id: happy.id, name: 'All day', clear_fields: ['hours_start', 'hours_end', 'days_of_week'] })).price_book;
    expect(allDay).toMatchObject({ name: 'All day', days_of_week: [] });
    expect([allDay.hours_start, allDay.hours_end]).toEqual([undefined, undefined]);
    expect((await at('19:00')).items[0].price).toMatchObject({ amount: '1800000' });

    expect((await c.ok('SetPriceBookPrices', { price_book_id: happy.id, remove: [v] })).removed).toEqual([v]);
    expect((await c.ok('DeletePriceBook', { id: happy.id })).price_book.archived_at).toEqual(expect.any(String));
    expect((await c.ok('ListPriceBooks')).price_books.map((b: Body) => b.is_default).sort()).toEqual([false, true]);
    expect((await c.ok('ListPriceBooks', { outlet_id: c.t.outletId })).price_books).toHaveLength(1);
  });

  it('reads an unset amount as 0, as proto3 does, and refuses what REST refuses', async () => {
    const c = as(await createTenant(s.app));
    const v = await variantOf(c, 'Water');
    expect((await c.ok('SetPrice', { variant_id: v, currency: 'IDR' })).price).toMatchObject({ amount: '0' });
    const usd = await c.fail('SetPrice', { variant_id: v, amount: '100', currency: 'USD' });
    expect(usd).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'PRICE_CURRENCY_MISMATCH', fields: ['currency'], info: { metadata: { field: 'currency', expected: 'IDR', given: 'USD' } } });
    expect(await c.fail('SetPrice', { variant_id: v, amount: '-1', currency: 'IDR' })).toMatchObject({ code: 'INVALID_ARGUMENT', fields: ['amount'] });
    expect(await c.fail('SetPrice', { amount: '1', currency: 'IDR' })).toMatchObject({ code: 'INVALID_ARGUMENT', fields: ['variant_id'] });
    const books = (await c.ok('ListPriceBooks')).price_books;
    expect(await c.fail('DeletePriceBook', { id: books[0].id })).toMatchObject({ code: 'FAILED_PRECONDITION', reason: 'PRICE_BOOK_DEFAULT_LOCKED' });
    expect(await c.fail('CreatePriceBook', { name: 'Bad hours', hours_start: '25:00', channel: 'drive_thru' })).toMatchObject({ code: 'INVALID_ARGUMENT', fields: ['channel', 'hours_start'] });
    expect(await c.fail('UpdatePriceBook', { id: books[0].id, clear_fields: ['priority'] })).toMatchObject({ code: 'INVALID_ARGUMENT', fields: ['clear_fields'] });
    expect(await c.fail('GetPriceBook', { id: uuidv7() })).toMatchObject({ code: 'NOT_FOUND', reason: 'PRICE_BOOK_NOT_FOUND' });
  });
});

describe('gRPC modifiers', () => {
  it('creates a group with modifiers, adds and edits one, attaches groups to a product in order, and archives', async () => {
    const c = as(await createTenant(s.app));
    const milk = (await c.ok('CreateModifierGroup', { name: 'Milk', max_select: 1, modifiers: [{ name: 'Oat', price_delta: '500000' }, { name: 'Skim', price_delta: '-100000' }] })).modifier_group;
    expect(milk).toMatchObject({ name: 'Milk', min_select: 0, max_select: 1, required: false });
    expect(milk.modifiers.map((m: Body) => [m.name, m.price_delta])).toEqual([
      ['Oat', '500000'],
      ['Skim', '-100000'],
    ]);
    const shots = (await c.ok('CreateModifierGroup', { name: 'Extra shot', allow_quantities: true })).modifier_group;
    const shot = (await c.ok('AddModifier', { modifier_group_id: shots.id, name: 'Shot', price_delta: '800000', max_quantity: 3 })).modifier;
    expect(shot).toMatchObject({ modifier_group_id: shots.id, max_quantity: 3 });
    const unlimited = (await c.ok('UpdateModifier', { id: shot.id, name: 'Espresso shot', clear_fields: ['max_quantity'] })).modifier;
    expect([unlimited.name, unlimited.max_quantity]).toEqual(['Espresso shot', undefined]);
    expect((await c.ok('UpdateModifierGroup', { id: milk.id, clear_fields: ['max_select'] })).modifier_group.max_select).toBeUndefined();

    const product = (await c.ok('CreateProduct', { name: 'Latte' })).product;
    const attached = await c.ok('SetProductModifierGroups', { product_id: product.id, modifier_group_ids: [shots.id, milk.id] });
    expect(attached.modifier_groups.map((g: Body) => g.name)).toEqual(['Extra shot', 'Milk']);
    expect((await c.ok('GetProductModifierGroups', { product_id: product.id })).modifier_groups.map((g: Body) => g.id)).toEqual([shots.id, milk.id]);
    expect(await c.fail('SetProductModifierGroups', { product_id: product.id, modifier_group_ids: [milk.id, milk.id] })).toMatchObject({ code: 'INVALID_ARGUMENT', fields: ['modifier_group_ids.1'] });
    expect((await c.ok('SetProductModifierGroups', { product_id: product.id })).modifier_groups).toEqual([]);

    expect((await c.ok('DeleteModifier', { id: shot.id })).modifier.archived_at).toEqual(expect.any(String));
    expect((await c.ok('DeleteModifierGroup', { id: milk.id })).modifier_group.archived_at).toEqual(expect.any(String));
    expect((await c.ok('ListModifierGroups')).modifier_groups.map((g: Body) => g.name)).toEqual(['Extra shot']);
    expect((await c.ok('GetModifier', { id: shot.id })).modifier).toMatchObject({ name: 'Espresso shot', archived_at: expect.any(String) });
  });

  it('refuses min_select above max_select naming the field', async () => {
    const c = as(await createTenant(s.app));
    expect(await c.fail('CreateModifierGroup', { name: 'Size', min_select: 2, max_select: 1, required: true })).toMatchObject({ code: 'INVALID_ARGUMENT', fields: ['min_select'] });
  });
});

describe('gRPC tax configuration', () => {
  it('keeps tax categories and rules, clears a rule’s scope, archives rules and deletes unused categories', async () => {
    const c = as(await createTenant(s.app));
    const food = (await c.ok('CreateTaxCategory', { code: 'FOOD', name: 'Food' })).tax_category;
    const alcohol = (await c.ok('CreateTaxCategory', { code: 'ALC', name: 'Alcohol' })).tax_category;
    const rule = (
      await c.ok('CreateTaxRule', { name: 'PB1 dine-in', rate_bps: 1000, inclusive: true, tax_category_id: food.id, order_types: ['dine_in'], exempt_tax_category_ids: [alcohol.id] })
    ).tax_rule;
    expect(rule).toMatchObject({ rate_bps: 1000, inclusive: true, compound: false, tax_category_id: food.id, order_types: ['dine_in'], exempt_tax_category_ids: [alcohol.id] });
    expect((await c.ok('CreateTaxRule', { name: 'Zero-rated', rate_bps: 0 })).tax_rule.rate_bps).toBe(0);
    expect(await c.fail('CreateTaxRule', { name: 'No rate' })).toMatchObject({ code: 'INVALID_ARGUMENT', fields: ['rate_bps'] });

    const everywhere = (await c.ok('UpdateTaxRule', { id: rule.id, clear_fields: ['tax_category_id', 'order_types', 'exempt_tax_category_ids'] })).tax_rule;
    expect([everywhere.tax_category_id, everywhere.order_types, everywhere.exempt_tax_category_ids]).toEqual([undefined, [], []]);
    expect((await c.ok('ListTaxRules', { tax_category_id: food.id })).tax_rules).toEqual([]);
    expect((await c.ok('UpdateTaxCategory', { id: alcohol.id, name: 'Alcoholic drinks' })).tax_category).toMatchObject({ code: 'ALC', name: 'Alcoholic drinks' });

    expect((await c.ok('DeleteTaxRule', { id: rule.id })).tax_rule.archived_at).toEqual(expect.any(String));
    expect((await c.ok('ListTaxRules')).tax_rules.map((r: Body) => r.name)).toEqual(['Zero-rated']);
    expect(await c.ok('DeleteTaxCategory', { id: food.id })).toEqual({});
    expect(await c.fail('GetTaxCategory', { id: food.id })).toMatchObject({ code: 'NOT_FOUND' });
    expect((await c.ok('ListTaxCategories')).tax_categories.map((x: Body) => x.code)).toEqual(['ALC']);
  });
});

describe('gRPC pricing across tenants', () => {
  it('answers another tenant NOT_FOUND where a request names a variant, book, group or product by another field, and changes nothing', async () => {
    const [a, b] = [as(await createTenant(s.app)), as(await createTenant(s.app))];
    const v = await variantOf(a);
    await a.ok('SetPrice', { variant_id: v, amount: '2500000', currency: 'IDR' });
    const book = (await a.ok('CreatePriceBook', { name: 'Members', priority: 5 })).price_book;
    const group = (await a.ok('CreateModifierGroup', { name: 'Milk' })).modifier_group;
    const product = (await a.ok('CreateProduct', { name: 'Mocha' })).product;
    for (const [method, req] of [
      ['SetPrice', { variant_id: v, amount: '1', currency: 'IDR' }],
      ['GetVariantPrices', { variant_id: v }],
      ['ListPriceBookPrices', { price_book_id: book.id }],
      ['SetPriceBookPrices', { price_book_id: book.id, set: [{ variant_id: v, amount: '1' }] }],
      ['AddModifier', { modifier_group_id: group.id, name: 'Soy' }],
      ['GetProductModifierGroups', { product_id: product.id }],
      ['SetProductModifierGroups', { product_id: product.id, modifier_group_ids: [group.id] }],
    ] as const) {
      expect(await b.fail(method, req), method).toMatchObject({ code: 'NOT_FOUND' });
    }
    const [theirs] = (await b.ok('ResolvePrices', { variant_ids: [v] })).items;
    expect([theirs.variant_id, theirs.price ?? null]).toEqual([v, null]); // no price of A's leaks to B
    expect((await a.ok('GetVariantPrices', { variant_id: v })).prices.map((p: Body) => p.amount)).toEqual(['2500000']);
    expect((await a.ok('GetModifierGroup', { id: group.id })).modifier_group.modifiers).toEqual([]);
    expect((await a.ok('ListPriceBookPrices', { price_book_id: book.id })).prices).toEqual([]);
  });
});
