import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTenant, openOrder, pricedProduct, salesRows, startSalesServer, type Client, type TestServer, type TestTenant } from './support.js';

let s: TestServer;
let t: TestTenant;
let api: Client;
let latte: { productId: string; variantId: string };

beforeAll(async () => {
  s = await startSalesServer();
  t = await createTenant(s.app);
  api = as(s, t);
  latte = await pricedProduct(api, 2_500_000);
});
afterAll(() => s.stop());

/** Runs `request`, expects status and code, and that no sales row (nor the order's version) changed. */
async function refusedWithoutWrites(request: () => ReturnType<Client['post']>, status: number, code: string, orderId?: string) {
  const before = await salesRows(s, t);
  const version = orderId ? (await api.get(`/api/v1/orders/${orderId}`)).body.version : undefined;
  const r = await request();
  expect({ status: r.status, code: r.body.error?.code }).toEqual({ status, code });
  expect(await salesRows(s, t)).toEqual(before);
  if (orderId) expect((await api.get(`/api/v1/orders/${orderId}`)).body.version).toBe(version);
  return r;
}

describe('bad input and edges: the right code, nothing written', () => {
  it('refuses adding to an order that is not a DRAFT', async () => {
    const o = await openOrder(api, [{ variant_id: latte.variantId }]);
    await refusedWithoutWrites(() => api.post(`/api/v1/orders/${o.id}/items`, { variant_id: latte.variantId, quantity: 1 }), 409, 'ORDER_NOT_DRAFT', o.id);
    const item = (await api.get(`/api/v1/orders/${o.id}`)).body.items[0].id;
    await refusedWithoutWrites(() => api.patch(`/api/v1/orders/${o.id}/items/${item}`, { quantity: 3 }), 409, 'ORDER_NOT_DRAFT', o.id);
    await refusedWithoutWrites(() => api.delete(`/api/v1/orders/${o.id}/items/${item}`), 409, 'ORDER_NOT_DRAFT', o.id);
  });

  it('refuses to finalize an empty order', async () => {
    const o = await api.post('/api/v1/orders', {});
    await refusedWithoutWrites(() => api.post(`/api/v1/orders/${o.body.id}/finalize`), 409, 'ORDER_EMPTY', o.body.id);
    expect((await api.get(`/api/v1/orders/${o.body.id}`)).body.status).toBe('DRAFT');
  });

  it('refuses to complete an unpaid or part-paid order', async () => {
    const o = await openOrder(api, [{ variant_id: latte.variantId, quantity: 2 }]);
    await refusedWithoutWrites(() => api.post(`/api/v1/orders/${o.id}/complete`), 409, 'ORDER_NOT_FULLY_PAID', o.id);
    await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CARD', amount: 1_000_000, card_last4: '4242', card_brand: 'VISA' });
    const r = await refusedWithoutWrites(() => api.post(`/api/v1/orders/${o.id}/complete`), 409, 'ORDER_NOT_FULLY_PAID', o.id);
    expect(r.body.error.details).toMatchObject({ balance_due: 4_000_000 });
  });

  it('refuses payments on a DRAFT and on a COMPLETED order', async () => {
    const d = await api.post('/api/v1/orders', { items: [{ variant_id: latte.variantId }] });
    await refusedWithoutWrites(() => api.post(`/api/v1/orders/${d.body.id}/payments`, { tender_type: 'CASH', amount: 2_500_000 }), 409, 'ORDER_NOT_OPEN', d.body.id);
    const o = await openOrder(api, [{ variant_id: latte.variantId }]);
    await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CASH', amount: 2_500_000 });
    expect((await api.post(`/api/v1/orders/${o.id}/complete`)).status).toBe(200);
    await refusedWithoutWrites(() => api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CASH', amount: 100 }), 409, 'ORDER_NOT_OPEN', o.id);
  });

  it('refuses overpaying with anything but cash, and cash tendered below the amount', async () => {
    const o = await openOrder(api, [{ variant_id: latte.variantId }]);
    await refusedWithoutWrites(() => api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CARD', amount: 2_500_001 }), 400, 'PAYMENT_EXCEEDS_BALANCE', o.id);
    await refusedWithoutWrites(() => api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'EXTERNAL', amount: 3_000_000, reference: 'QRIS-1' }), 400, 'PAYMENT_EXCEEDS_BALANCE', o.id);
    await refusedWithoutWrites(() => api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CASH', amount: 2_500_000, tendered: 2_000_000 }), 400, 'PAYMENT_TENDERED_TOO_LOW', o.id);
  });

  it('refuses an archived product and one made unavailable at the outlet', async () => {
    const gone = await pricedProduct(api, 1_000_000);
    expect((await api.post(`/api/v1/products/${gone.productId}/archive`)).status).toBe(200);
    const d = await api.post('/api/v1/orders', {});
    const r = await refusedWithoutWrites(() => api.post(`/api/v1/orders/${d.body.id}/items`, { variant_id: gone.variantId }), 409, 'ORDER_PRODUCT_UNAVAILABLE', d.body.id);
    expect(r.body.error.details.reason).toBe('product_archived');
    const eightySixed = await pricedProduct(api, 1_000_000);
    expect((await api.post(`/api/v1/products/${eightySixed.productId}/availability`, { outlet_id: t.outletId, available: false, reason: 'sold out' })).status).toBe(200);
    const r2 = await refusedWithoutWrites(() => api.post(`/api/v1/orders/${d.body.id}/items`, { product_id: eightySixed.productId }), 409, 'ORDER_PRODUCT_UNAVAILABLE', d.body.id);
    expect(r2.body.error.details.reason).toBe('unavailable_at_outlet');
    await refusedWithoutWrites(() => api.post('/api/v1/orders', { items: [{ variant_id: gone.variantId }] }), 409, 'ORDER_PRODUCT_UNAVAILABLE');
    await refusedWithoutWrites(() => api.post('/api/v1/checkout', { items: [{ variant_id: gone.variantId }], tenders: [{ tender_type: 'CASH', amount: 1_000_000 }] }), 409, 'ORDER_PRODUCT_UNAVAILABLE');
  });

  it('refuses modifiers that break their group’s min or max, naming the fields', async () => {
    const p = await pricedProduct(api, 3_000_000);
    const size = await api.post('/api/v1/modifier-groups', { name: 'Size', min_select: 1, max_select: 1, modifiers: [{ name: 'Small', price_delta: 0 }, { name: 'Large', price_delta: 500_000 }] });
    expect(size.status).toBe(201);
    expect((await api.post(`/api/v1/products/${p.productId}/modifier-groups`, { modifier_group_id: size.body.id })).status).toBe(200);
    const [small, large] = size.body.modifiers.map((m: { id: string }) => m.id);
    const d = await api.post('/api/v1/orders', {});
    const none = await refusedWithoutWrites(() => api.post(`/api/v1/orders/${d.body.id}/items`, { variant_id: p.variantId }), 400, 'MODIFIER_SELECTION_INVALID', d.body.id);
    expect(none.body.error.details.issues[0].code).toBe('MODIFIER_GROUP_REQUIRED');
    const both = await refusedWithoutWrites(() => api.post(`/api/v1/orders/${d.body.id}/items`, { variant_id: p.variantId, modifiers: [{ modifier_id: small }, { modifier_id: large }] }), 400, 'MODIFIER_SELECTION_INVALID', d.body.id);
    expect(both.body.error.details.issues[0].code).toBe('MODIFIER_GROUP_ABOVE_MAX');
    const ok = await api.post(`/api/v1/orders/${d.body.id}/items`, { variant_id: p.variantId, modifiers: [{ modifier_id: large }] });
    expect(ok.status).toBe(201);
    expect(ok.body.items[0]).toMatchObject({ unit_price: 3_000_000, total: 3_500_000, modifiers: [{ modifier_id: large, name: 'Large', price_delta: 500_000, quantity: 1 }] });
  });

  it.each([[0], [-1], ['-2'], [1.5], [0.0001], ['abc']])('refuses quantity %j', async (quantity) => {
    const d = await api.post('/api/v1/orders', {});
    const r = await refusedWithoutWrites(() => api.post(`/api/v1/orders/${d.body.id}/items`, { variant_id: latte.variantId, quantity }), 400, 'VALIDATION_FAILED', d.body.id);
    expect(r.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['quantity']);
  });

  it('sells a weighed variant by decimal quantity', async () => {
    const p = await api.post('/api/v1/products', { name: 'Coffee beans', variants: [{ name: 'per kg', weight_based: true }] });
    expect(p.status).toBe(201);
    await api.post('/api/v1/prices', { variant_id: p.body.variants[0].id, amount: 20_000_000, currency: 'IDR' });
    const r = await api.post('/api/v1/orders', { items: [{ variant_id: p.body.variants[0].id, quantity: '1.25' }] });
    expect(r.status).toBe(201);
    expect(r.body.items[0]).toMatchObject({ quantity: 1.25, total: 25_000_000 });
  });

  it('refuses a currency that is not the order’s', async () => {
    await refusedWithoutWrites(() => api.post('/api/v1/orders', { currency: 'USD' }), 400, 'ORDER_CURRENCY_MISMATCH');
    const o = await openOrder(api, [{ variant_id: latte.variantId }]);
    await refusedWithoutWrites(() => api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CASH', amount: 2_500_000, currency: 'USD' }), 400, 'ORDER_CURRENCY_MISMATCH', o.id);
  });

  it('refuses a change against a stale expected_version with ORDER_CONCURRENT_UPDATE', async () => {
    const d = await api.post('/api/v1/orders', {});
    const added = await api.post(`/api/v1/orders/${d.body.id}/items`, { variant_id: latte.variantId, expected_version: 1 });
    expect(added.body.version).toBe(2);
    await refusedWithoutWrites(() => api.post(`/api/v1/orders/${d.body.id}/items`, { variant_id: latte.variantId, expected_version: 1 }), 409, 'ORDER_CONCURRENT_UPDATE', d.body.id);
    await refusedWithoutWrites(() => api.post(`/api/v1/orders/${d.body.id}/finalize`, { expected_version: 1 }), 409, 'ORDER_CONCURRENT_UPDATE', d.body.id);
    expect((await api.post(`/api/v1/orders/${d.body.id}/finalize`, { expected_version: 2 })).body).toMatchObject({ status: 'OPEN', version: 3 });
  });

  it('voids with a reason and pos:sale:void only, and not while captured money is on the order', async () => {
    const o = await openOrder(api, [{ variant_id: latte.variantId }]);
    await refusedWithoutWrites(() => api.post(`/api/v1/orders/${o.id}/void`, {}), 400, 'VALIDATION_FAILED', o.id);
    const key = await api.post('/api/v1/api-keys', { name: 'till', permissions: ['pos:sale:create', 'pos:sale:read'] });
    const cashier = as(s, t, { 'x-api-key': key.body.secret });
    await refusedWithoutWrites(() => cashier.post(`/api/v1/orders/${o.id}/void`, { reason: 'customer left' }), 403, 'PERMISSION_DENIED', o.id);
    const paid = await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CASH', amount: 1_000_000 });
    await refusedWithoutWrites(() => api.post(`/api/v1/orders/${o.id}/void`, { reason: 'customer left' }), 409, 'ORDER_HAS_CAPTURED_PAYMENTS', o.id);
    const back = await api.post(`/api/v1/orders/${o.id}/payments/${paid.body.payment.id}/void`);
    expect(back.body).toMatchObject({ paid_total: 0, payment_status: 'UNPAID' });
    const voided = await api.post(`/api/v1/orders/${o.id}/void`, { reason: 'customer left' });
    expect(voided.body).toMatchObject({ status: 'VOIDED', void_reason: 'customer left' });
    await refusedWithoutWrites(() => api.post(`/api/v1/orders/${o.id}/void`, { reason: 'again' }), 409, 'ORDER_INVALID_TRANSITION', o.id);
  });

  it('refuses discounts without pos:sale:discount', async () => {
    const key = await api.post('/api/v1/api-keys', { name: 'till', permissions: ['pos:sale:create', 'pos:sale:read'] });
    const cashier = as(s, t, { 'x-api-key': key.body.secret });
    await refusedWithoutWrites(() => cashier.post('/api/v1/orders', { items: [{ variant_id: latte.variantId, discount: { type: 'percentage', rate_bp: 1000 } }] }), 403, 'PERMISSION_DENIED');
    const d = await api.post('/api/v1/orders', { items: [{ variant_id: latte.variantId }] });
    await refusedWithoutWrites(() => cashier.post(`/api/v1/orders/${d.body.id}/discount`, { discount: { type: 'fixed', amount: 1000 } }), 403, 'PERMISSION_DENIED', d.body.id);
  });

  it('answers another tenant’s order with 404 and changes nothing', async () => {
    const o = await openOrder(api, [{ variant_id: latte.variantId }]);
    const other = as(s, await createTenant(s.app));
    expect((await other.get(`/api/v1/orders/${o.id}`)).status).toBe(404);
    await refusedWithoutWrites(() => other.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CASH', amount: 1 }), 404, 'ORDER_NOT_FOUND', o.id);
    await refusedWithoutWrites(() => other.post(`/api/v1/orders/${o.id}/void`, { reason: 'x' }), 404, 'ORDER_NOT_FOUND', o.id);
  });
});
