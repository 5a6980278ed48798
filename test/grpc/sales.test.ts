import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/platform/ids.js';
import { ok, rpc, salesRestRoutes, startTestGrpcServer, type Body, type TestGrpcServer } from '../support/grpc.js';
import { FakeProvider } from '../support/payment-provider.js';
import { call, createTenant, type TestTenant } from '../support/server.js';

/**
 * What only gRPC can get wrong about sales: the request's idempotency key becoming the payment's and the
 * refund's own key (so a retry through either transport is charged once), replays, proto3's clear_fields and
 * enum names, and GetReceipt's formats (JSON beside every rendering, bytes for ESC/POS).
 */
const card = new FakeProvider();
let s: TestGrpcServer;
let t: TestTenant;
let variantId: string;
let sales: ReturnType<TestGrpcServer['client']>;

beforeAll(async () => {
  s = await startTestGrpcServer({}, [salesRestRoutes, (_r, app) => app.services.sales.registerPaymentProvider(card)]);
  t = await createTenant(s.app);
  sales = s.client('SalesService');
  const catalog = s.client('CatalogService');
  const product = await ok(rpc(catalog, 'CreateProduct', { name: 'Es Teh', variants: [{ name: 'Gelas' }] }, t.devHeaders));
  variantId = product.product.variants[0].id;
  await ok(rpc(catalog, 'SetPrice', { variant_id: variantId, amount: '1000000', currency: 'IDR' }, t.devHeaders));
});
afterAll(() => s.stop());

async function openOrder(quantity = 3): Promise<Body> {
  const created = await ok(rpc(sales, 'CreateOrder', { items: [{ variant_id: variantId, quantity }] }, t.devHeaders));
  return (await ok(rpc(sales, 'FinalizeOrder', { order_id: created.order.id }, t.devHeaders))).order;
}
const rest = (method: string, path: string, body?: unknown) => call(s.baseUrl, method, path, { headers: t.devHeaders, ...(body === undefined ? {} : { body }) });

describe('SalesService over gRPC', () => {
  it('charges a card through a payment provider, outside any transaction, once per idempotency key', async () => {
    const order = await openOrder(1);
    const request = { order_id: order.id, payment_type: 'CARD', amount: '1000000', provider: 'simpay' };
    const md = { ...t.devHeaders, 'idempotency-key': `grpc-card-${order.id}` };
    const first = await ok(rpc(sales, 'AddPayment', request, md));
    expect(first.payment).toMatchObject({ status: 'CAPTURED', provider: 'simpay', card_last4: '4242', idempotency_key: `grpc-card-${order.id}` });
    const calls = card.authorizeCalls;
    const again = await ok(rpc(sales, 'AddPayment', request, md));
    expect([again.replayed, again.payment.id, card.authorizeCalls]).toEqual([true, first.payment.id, calls]);
    const unknown = await rpc(sales, 'AddPayment', { ...request, provider: 'nope' }, t.devHeaders);
    expect(unknown.ok ? 'ok' : unknown.details?.errorInfo?.reason).toBe('PAYMENT_TENDER_UNSUPPORTED');
  });

  it('gives the request’s idempotency key to the payment: a retry through gRPC replays, one through REST finds the same payment', async () => {
    const order = await openOrder();
    const key = `till-7-${uuidv7()}`;
    const request = { order_id: order.id, payment_type: 'CARD', amount: '1000000', card_last4: '4242', card_reference: 'APPR-1', idempotency_key: key };
    const first = await rpc(sales, 'AddPayment', request, t.devHeaders);
    if (!first.ok) throw new Error(first.message);
    expect(first.body.payment).toMatchObject({ tender_type: 'CARD', status: 'CAPTURED', amount: '1000000', card_last4: '4242', idempotency_key: key });
    expect(first.header.get('idempotent-replayed')).toEqual(['false']);

    const again = await rpc(sales, 'AddPayment', request, t.devHeaders);
    if (!again.ok) throw new Error(again.message);
    expect({ ...again.body, replayed: false }).toEqual(first.body);
    expect([again.body.replayed, first.body.replayed]).toEqual([true, false]);
    expect(again.header.get('idempotent-replayed')).toEqual(['true']);

    const viaRest = await rest('POST', `/api/v1/orders/${order.id}/payments`, { payment_type: 'CARD', amount: 1_000_000, card_last4: '4242', card_reference: 'APPR-1', idempotency_key: key });
    expect([viaRest.status, viaRest.body.replayed, viaRest.body.payment.id]).toEqual([201, true, first.body.payment.id]);
    const after = await ok(rpc(sales, 'GetOrder', { order_id: order.id }, t.devHeaders));
    expect(after.order).toMatchObject({ paid_total: '1000000', payment_status: 'PARTIALLY_PAID' });
    expect(after.order.payments).toHaveLength(1);

    // The key in metadata is the same key.
    const md = await ok(rpc(sales, 'AddPayment', { order_id: order.id, payment_type: 'CASH', amount: '500000' }, { ...t.devHeaders, 'idempotency-key': `md-${key}` }));
    expect(md.payment.idempotency_key).toBe(`md-${key}`);
    // Without a key a payment still goes through, under a key of its own.
    const plain = await ok(rpc(sales, 'AddPayment', { order_id: order.id, payment_type: 'CASH', amount: '500000' }, t.devHeaders));
    expect(plain.payment.idempotency_key).toMatch(/^auto:/);
  });

  it('gives the request’s idempotency key to the refund: REST retrying it finds the same refund', async () => {
    const order = await openOrder(1);
    await ok(rpc(sales, 'AddPayment', { order_id: order.id, payment_type: 'CASH', amount: '2000000' }, t.devHeaders));
    const done = await ok(rpc(sales, 'CompleteOrder', { order_id: order.id }, t.devHeaders));
    expect(done.order).toMatchObject({ status: 'COMPLETED', change_due: '1000000' });
    const key = `refund-${uuidv7()}`;
    const refunded = await ok(rpc(sales, 'RefundOrder', { order_id: order.id, reason: 'Wrong drink', items: [{ item_id: order.items[0].id, restock: true }], idempotency_key: key }, t.devHeaders));
    expect(refunded.refund).toMatchObject({ kind: 'ITEMS', amount: '1000000', lines: [{ item_id: order.items[0].id, quantity: 1, restock: true }], tenders: [{ tender_type: 'CASH', status: 'SUCCEEDED' }] });
    expect(refunded.order).toMatchObject({ payment_status: 'REFUNDED', refunded_total: '1000000' });
    const viaRest = await rest('POST', `/api/v1/orders/${order.id}/refunds`, { reason: 'Wrong drink', items: [{ item_id: order.items[0].id, restock: true }], idempotency_key: key });
    expect([viaRest.status, viaRest.body.replayed, viaRest.body.refund.id]).toEqual([201, true, refunded.refund.id]);
  });

  it('empties what clear_fields names, and refuses a field it cannot clear or that is also set', async () => {
    const created = await ok(rpc(sales, 'CreateOrder', { items: [{ variant_id: variantId, notes: 'no sugar', seat: 1, discount: { type: 'FIXED', amount: '100000' } }] }, t.devHeaders));
    const item = created.order.items[0];
    expect(item).toMatchObject({ notes: 'no sugar', seat: 1, discount: { type: 'FIXED', amount: '100000' }, total: '900000' });
    const cleared = await ok(rpc(sales, 'UpdateOrderItem', { order_id: created.order.id, item_id: item.id, clear_fields: ['notes', 'discount'] }, t.devHeaders));
    expect(cleared.order.items[0]).toMatchObject({ seat: 1, total: '1000000' });
    expect(cleared.order.items[0].notes).toBeUndefined();
    expect(cleared.order.items[0].discount).toBeNull();
    for (const [req, why] of [
      [{ clear_fields: ['quantity'] }, /quantity cannot be cleared/],
      [{ seat: 2, clear_fields: ['seat'] }, /seat is both set and cleared/],
    ] as const) {
      const r = await rpc(sales, 'UpdateOrderItem', { order_id: created.order.id, item_id: item.id, ...req }, t.devHeaders);
      expect(r.ok || [r.code, r.details?.fieldViolations?.[0]?.field]).toEqual([status.INVALID_ARGUMENT, 'clear_fields']);
      expect(r.ok || r.message).toMatch(why);
    }
  });

  it('refuses what proto3 cannot say wrongly: a bad order id, a discount without a type, a quantity with four decimals', async () => {
    const badId = await rpc(sales, 'GetOrder', { order_id: 'nope' }, t.devHeaders);
    expect(badId.ok || [badId.code, badId.details?.fieldViolations?.[0]?.field]).toEqual([status.INVALID_ARGUMENT, 'order_id']);
    const missing = await rpc(sales, 'FinalizeOrder', {}, t.devHeaders);
    expect(missing.ok || [missing.code, missing.message]).toEqual([status.INVALID_ARGUMENT, expect.stringMatching(/order_id/)]);
    const draft = await ok(rpc(sales, 'CreateOrder', {}, t.devHeaders));
    const untyped = await rpc(sales, 'ApplyDiscount', { order_id: draft.order.id, discount: { rate_bp: 1000 } }, t.devHeaders);
    expect(untyped.ok || [untyped.code, untyped.details?.fieldViolations?.map((f) => f.field)]).toEqual([status.INVALID_ARGUMENT, [expect.stringMatching(/^discount/)]]);
    const fine = await rpc(sales, 'AddOrderItem', { order_id: draft.order.id, variant_id: variantId, quantity: 1.2345 }, t.devHeaders);
    expect(fine.ok || [fine.code, fine.details?.fieldViolations?.[0]?.field]).toEqual([status.INVALID_ARGUMENT, 'quantity']);
    expect((await ok(rpc(sales, 'GetOrder', { order_id: draft.order.id }, t.devHeaders))).order).toMatchObject({ version: 1, items: [] });
  });

  it('lists orders by status and payment status, a page at a time', async () => {
    const other = await createTenant(s.app);
    const catalog = s.client('CatalogService');
    const p = await ok(rpc(catalog, 'CreateProduct', { name: 'Kopi', variants: [{ name: 'Cup' }] }, other.devHeaders));
    await ok(rpc(catalog, 'SetPrice', { variant_id: p.product.variants[0].id, amount: '1500000', currency: 'IDR' }, other.devHeaders));
    const items = [{ variant_id: p.product.variants[0].id }];
    const sold = [];
    for (let n = 0; n < 3; n++) sold.push((await ok(rpc(sales, 'Checkout', { items, tenders: [{ payment_type: 'CASH', amount: '1500000' }] }, other.devHeaders))).order);
    await ok(rpc(sales, 'CreateOrder', { items }, other.devHeaders));
    expect(sold.map((o) => o.receipt_number)).toEqual(['MAIN-000001', 'MAIN-000002', 'MAIN-000003']);
    const first = await ok(rpc(sales, 'ListOrders', { status: 'COMPLETED', pagination: { page_size: 2 } }, other.devHeaders));
    expect(first.orders.map((o: Body) => o.id)).toEqual([sold[0].id, sold[1].id]);
    const second = await ok(rpc(sales, 'ListOrders', { status: 'COMPLETED', pagination: { page_size: 2, page_token: first.pagination.next_page_token } }, other.devHeaders));
    expect([second.orders.map((o: Body) => o.id), second.pagination.next_page_token]).toEqual([[sold[2].id], '']);
    expect((await ok(rpc(sales, 'ListOrders', { payment_status: 'UNPAID' }, other.devHeaders))).orders).toHaveLength(1);
    const byReceipt = await ok(rpc(sales, 'ListOrders', { receipt_number: 'MAIN-000002', include_items: true }, other.devHeaders));
    expect(byReceipt.orders.map((o: Body) => [o.id, o.items.length])).toEqual([[sold[1].id, 1]]);
  });

  it('answers GetReceipt with the JSON receipt and the rendering by format, COPY after the first, FAILED_PRECONDITION before completion', async () => {
    const order = await openOrder(1);
    const early = await rpc(sales, 'GetReceipt', { order_id: order.id }, t.devHeaders);
    expect(early.ok || [early.code, early.details?.errorInfo?.reason]).toEqual([status.FAILED_PRECONDITION, 'RECEIPT_NOT_AVAILABLE']);
    await ok(rpc(sales, 'AddPayment', { order_id: order.id, payment_type: 'CASH', amount: '1000000', tendered: '2000000' }, t.devHeaders));
    const done = (await ok(rpc(sales, 'CompleteOrder', { order_id: order.id }, t.devHeaders))).order;
    const json = await ok(rpc(sales, 'GetReceipt', { order_id: order.id }, t.devHeaders));
    expect(json).toMatchObject({ receipt_number: done.receipt_number, content_type: 'application/json; charset=utf-8', print_number: 1 });
    expect(json.copy ?? false).toBe(false);
    expect(JSON.parse(json.text)).toMatchObject({ receipt_number: done.receipt_number, total: 1_000_000, change: 1_000_000, copy: false });
    const text = await ok(rpc(sales, 'GetReceipt', { order_id: order.id, format: 'TEXT', width: 48 }, t.devHeaders));
    expect(text).toMatchObject({ copy: true, print_number: 2, content_type: 'text/plain; charset=utf-8' });
    expect(text.text).toContain('*** COPY ***');
    expect(JSON.parse(text.receipt_json)).toMatchObject({ copy: true, print_number: 2 });
    const esc = await ok(rpc(sales, 'GetReceipt', { order_id: order.id, format: 'ESC_POS' }, t.devHeaders));
    expect([...(esc.data as Buffer).subarray(0, 2)]).toEqual([0x1b, 0x40]);
    const missing = await rpc(sales, 'GetReceipt', { order_id: uuidv7() }, t.devHeaders);
    expect(missing.ok || missing.code).toBe(status.NOT_FOUND);
  });
});
