import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTenant, ledgerDrift, pricedProduct, query, setSettings, startSalesServer, stockOf, type Client, type TestServer, type TestTenant } from './support.js';

let s: TestServer;
let t: TestTenant;
let api: Client;

beforeAll(async () => {
  s = await startSalesServer();
  t = await createTenant(s.app);
  api = as(s, t);
});
afterAll(() => s.stop());

/** An ingredient stocked in `unit` with `stock` of it received at `cost` a unit. */
async function ingredient(unit: string, stock: number, cost: number) {
  const p = await pricedProduct(api, 1);
  expect((await api.put(`/api/v1/inventory/stock-units/${p.variantId}`, { unit })).status).toBe(200);
  await api.post('/api/v1/inventory/adjustments', { location_id: t.outletId, variant_id: p.variantId, quantity: stock, type: 'purchase_receipt', unit_cost: cost });
  return p.variantId;
}

describe('recipes (bill of materials)', () => {
  it('a latte consumes 18 g of beans and 200 ml of milk; the oat milk modifier swaps the milk; costs follow', async () => {
    const beans = await ingredient('kg', 2, 300_000); // 300,000 a kg
    const milk = await ingredient('l', 10, 20_000); // 20,000 a litre
    const oat = await ingredient('ml', 5_000, 50); // 50 a ml
    const latte = await pricedProduct(api, 30_000, { track_stock: false });
    const recipe = await api.put(`/api/v1/inventory/recipes/variants/${latte.variantId}`, { components: [{ variant_id: beans, quantity: 18, unit: 'g' }, { variant_id: milk, quantity: 200, unit: 'ml' }] });
    expect(recipe.status).toBe(200);
    expect(recipe.body.components).toEqual(expect.arrayContaining([expect.objectContaining({ component_variant_id: beans, quantity: 0.018, unit: 'kg' }), expect.objectContaining({ component_variant_id: milk, quantity: 0.2, unit: 'l' })]));
    const group = await api.post('/api/v1/modifier-groups', { name: 'Milk', modifiers: [{ name: 'Oat milk', price_delta: 5_000 }] });
    const oatMod = group.body.modifiers[0].id as string;
    await api.post(`/api/v1/products/${latte.productId}/modifier-groups`, { modifier_group_id: group.body.id });
    expect((await api.put(`/api/v1/inventory/recipes/modifiers/${oatMod}`, { components: [{ variant_id: oat, quantity: 200, unit: 'ml', replaces_variant_id: milk }] })).status).toBe(200);

    const plain = await api.post('/api/v1/checkout', { items: [{ variant_id: latte.variantId, quantity: 2 }], tenders: [{ tender_type: 'CASH', amount: 60_000 }] });
    expect(plain.status).toBe(201);
    expect(await stockOf(api, t.outletId, beans)).toMatchObject({ on_hand: 1.964 });
    expect(await stockOf(api, t.outletId, milk)).toMatchObject({ on_hand: 9.6 });
    const costs = await query<{ variant_id: string; quantity: string; unit_cost: string }>(s, t, sql`SELECT variant_id, quantity, unit_cost FROM sale_costs WHERE order_id = ${plain.body.id}`);
    expect(costs.map((c) => [c.variant_id, Number(c.quantity), Number(c.unit_cost)]).sort()).toEqual([[beans, 0.036, 300_000], [milk, 0.4, 20_000]].sort());

    const withOat = await api.post('/api/v1/checkout', { items: [{ variant_id: latte.variantId, quantity: 1, modifiers: [{ modifier_id: oatMod }] }], tenders: [{ tender_type: 'CASH', amount: 35_000 }] });
    expect(withOat.status).toBe(201);
    expect(await stockOf(api, t.outletId, beans)).toMatchObject({ on_hand: 1.946 });
    expect(await stockOf(api, t.outletId, milk)).toMatchObject({ on_hand: 9.6 });
    expect(await stockOf(api, t.outletId, oat)).toMatchObject({ on_hand: 4_800 });
    expect(await ledgerDrift(s, t)).toEqual([]);
  });

  it('refuses a sale when an ingredient runs out and negative stock is forbidden, naming the ingredient', async () => {
    await setSettings(api, { allow_negative_stock: false });
    const syrup = await ingredient('ml', 30, 10);
    const drink = await pricedProduct(api, 20_000, { track_stock: false });
    await api.put(`/api/v1/inventory/recipes/variants/${drink.variantId}`, { components: [{ variant_id: syrup, quantity: 20 }] });
    expect((await api.post('/api/v1/checkout', { items: [{ variant_id: drink.variantId }], tenders: [{ tender_type: 'CASH', amount: 20_000 }] })).status).toBe(201);
    const r = await api.post('/api/v1/checkout', { items: [{ variant_id: drink.variantId }], tenders: [{ tender_type: 'CASH', amount: 20_000 }] });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'STOCK_INSUFFICIENT', details: { variant_id: syrup, requested: 20, available: 10 } });
    await setSettings(api, { allow_negative_stock: true });
  });

  it('refuses a conversion that does not exist and other bad recipes, naming the field and writing nothing', async () => {
    const beans = await ingredient('g', 100, 1);
    const latte = await pricedProduct(api, 30_000, { track_stock: false });
    const wrong = await api.put(`/api/v1/inventory/recipes/variants/${latte.variantId}`, { components: [{ variant_id: beans, quantity: 18, unit: 'ml' }] });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'STOCK_UNIT_CONVERSION_UNKNOWN', details: { field: 'components.0.unit' } });
    const unknownUnit = await api.put(`/api/v1/inventory/recipes/variants/${latte.variantId}`, { components: [{ variant_id: beans, quantity: 18, unit: 'cup' }] });
    expect(JSON.stringify(unknownUnit.body.error.details)).toContain('components.0.unit');
    const replaces = await api.put(`/api/v1/inventory/recipes/variants/${latte.variantId}`, { components: [{ variant_id: beans, quantity: 1, replaces_variant_id: beans }] });
    expect(JSON.stringify(replaces.body.error.details)).toContain('components.0.replaces_variant_id');
    const negative = await api.put(`/api/v1/inventory/recipes/variants/${latte.variantId}`, { components: [{ variant_id: beans, quantity: -1 }] });
    expect(JSON.stringify(negative.body.error.details)).toContain('components.0.quantity');
    expect((await api.get(`/api/v1/inventory/recipes/variants/${latte.variantId}`)).body.components).toEqual([]);
  });

  it('a modifier linked to a stock item consumes it, in a tenant without recipes', async () => {
    const other = await createTenant(s.app);
    const them = as(s, other);
    const shot = await pricedProduct(them, 1);
    await them.post('/api/v1/inventory/adjustments', { location_id: other.outletId, variant_id: shot.variantId, quantity: 10 });
    const coffee = await pricedProduct(them, 20_000, { track_stock: false });
    const group = await them.post('/api/v1/modifier-groups', { name: 'Extras', modifiers: [{ name: 'Extra shot', price_delta: 5_000, linked_variant_id: shot.variantId, max_quantity: 3 }] });
    expect(group.status).toBe(201);
    await them.post(`/api/v1/products/${coffee.productId}/modifier-groups`, { modifier_group_id: group.body.id });
    const r = await them.post('/api/v1/checkout', { items: [{ variant_id: coffee.variantId, quantity: 2, modifiers: [{ modifier_id: group.body.modifiers[0].id }] }], tenders: [{ tender_type: 'CASH', amount: 100_000 }] });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(await stockOf(them, other.outletId, shot.variantId)).toMatchObject({ on_hand: 8 });
  });
});
