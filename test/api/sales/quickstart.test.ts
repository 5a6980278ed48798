import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTenant, salesRows, startSalesServer, type TestServer } from './support.js';

let s: TestServer;
beforeAll(async () => {
  s = await startSalesServer();
});
afterAll(() => s.stop());

describe('seed 000 quick start, steps 2–6, over REST', () => {
  it('creates a category, product, variant "Regular" and price, then sells 2 with cash and completes with a receipt number', async () => {
    const t = await createTenant(s.app);
    const api = as(s, t);
    const category = await api.post('/api/v1/categories', { name: 'Beverages', sort_order: 1 });
    expect(category.status).toBe(201);
    const product = await api.post('/api/v1/products', { name: 'Iced Latte', sku: 'ICE-LATTE-001', category_id: category.body.id });
    expect(product.status).toBe(201);
    const variant = await api.post(`/api/v1/products/${product.body.id}/variants`, { name: 'Regular', sku: 'ICE-LATTE-001-REG' });
    expect(variant.status).toBe(201);
    const price = await api.post('/api/v1/prices', { variant_id: variant.body.id, amount: '2500000', currency: 'IDR' });
    expect(price.status).toBe(200);

    // 5. create a draft order with {}, add a line, finalize
    const order = await api.post('/api/v1/orders', {});
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({ status: 'DRAFT', payment_status: 'UNPAID', outlet_id: t.outletId, currency: 'IDR', version: 1, total: 0, items: [] });
    const added = await api.post(`/api/v1/orders/${order.body.id}/items`, { order_id: order.body.id, product_id: product.body.id, variant_id: variant.body.id, quantity: 2 });
    expect(added.status).toBe(201);
    expect(added.body.items).toHaveLength(1);
    expect(added.body.items[0]).toMatchObject({ name: 'Iced Latte', variant_name: 'Regular', sku: 'ICE-LATTE-001-REG', quantity: 2, unit_price: 2_500_000, total: 5_000_000 });
    const finalized = await api.post(`/api/v1/orders/${order.body.id}/finalize`, { order_id: order.body.id });
    expect(finalized.status).toBe(200);
    expect(finalized.body).toMatchObject({ status: 'OPEN', subtotal: 5_000_000, total: 5_000_000, balance_due: 5_000_000 });

    // 6. cash payment of "5000000", complete
    const paid = await api.post(`/api/v1/orders/${order.body.id}/payments`, { order_id: order.body.id, payment_type: 'CASH', amount: '5000000' });
    expect(paid.status).toBe(201);
    expect(paid.body.payment).toMatchObject({ tender_type: 'CASH', status: 'CAPTURED', amount: 5_000_000, tendered: 5_000_000, change: 0 });
    expect(paid.body.order).toMatchObject({ payment_status: 'PAID', paid_total: 5_000_000, balance_due: 0 });
    const done = await api.post(`/api/v1/orders/${order.body.id}/complete`, { order_id: order.body.id });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'COMPLETED', payment_status: 'PAID', change_due: 0, total: 5_000_000, receipt_number: 'MAIN-000001' });

    const got = await api.get(`/api/v1/orders/${order.body.id}`);
    expect(got.body).toMatchObject({ status: 'COMPLETED', receipt_number: 'MAIN-000001', items: [{ quantity: 2 }], payments: [{ amount: 5_000_000 }] });
    expect((await salesRows(s, t)).outbox_events).toBeGreaterThan(0);
  });

  it('shows the change due when the customer hands over more cash than the total', async () => {
    const t = await createTenant(s.app);
    const api = as(s, t);
    const p = await api.post('/api/v1/products', { name: 'Kopi' });
    await api.post('/api/v1/prices', { variant_id: p.body.variants[0].id, amount: 2_500_000, currency: 'IDR' });
    const o = await api.post('/api/v1/orders', { items: [{ product_id: p.body.id, quantity: 2 }] });
    await api.post(`/api/v1/orders/${o.body.id}/finalize`);
    const paid = await api.post(`/api/v1/orders/${o.body.id}/payments`, { tender_type: 'CASH', amount: 10_000_000 });
    expect(paid.body.payment).toMatchObject({ amount: 5_000_000, tendered: 10_000_000, change: 5_000_000 });
    const done = await api.post(`/api/v1/orders/${o.body.id}/complete`);
    expect(done.body).toMatchObject({ status: 'COMPLETED', paid_total: 5_000_000, change_due: 5_000_000 });
  });
});
