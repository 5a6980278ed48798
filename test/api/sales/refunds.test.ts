import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTenant, openOrder, pricedProduct, query, salesRows, startSalesServer, type Client, type TestServer, type TestTenant } from './support.js';

let s: TestServer;
beforeAll(async () => {
  s = await startSalesServer();
});
afterAll(() => s.stop());

/** A completed order of 3 × A (1,000,000) and 2 × B (2,500,000) = 8,000,000, paid 3,000,000 cash + 5,000,000 card. */
async function completedSplitOrder(api: Client) {
  const a = await pricedProduct(api, 1_000_000);
  const b = await pricedProduct(api, 2_500_000);
  const o = await openOrder(api, [{ variant_id: a.variantId, quantity: 3 }, { variant_id: b.variantId, quantity: 2 }]);
  const cash = await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CASH', amount: 3_000_000 });
  const card = await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CARD', amount: 5_000_000, card_last4: '4242', card_brand: 'VISA', card_reference: 'AUTH-77' });
  const done = await api.post(`/api/v1/orders/${o.id}/complete`);
  expect(done.body.status).toBe('COMPLETED');
  return { id: o.id, items: done.body.items as { id: string; total: number }[], cashId: cash.body.payment.id as string, cardId: card.body.payment.id as string };
}

describe('refunds', () => {
  let t: TestTenant;
  let api: Client;
  beforeAll(async () => {
    t = await createTenant(s.app);
    api = as(s, t);
  });

  it('refunds by items in several parts, back over the original tenders exactly, and never more than paid', async () => {
    const o = await completedSplitOrder(api);
    const [lineA, lineB] = o.items;
    const first = await api.post(`/api/v1/orders/${o.id}/refunds`, { reason: 'cold', items: [{ item_id: lineA!.id, quantity: 1, restock: true }] });
    expect(first.status).toBe(201);
    expect(first.body.refund).toMatchObject({ kind: 'items', amount: 1_000_000, receipt_number: 'MAIN-R-000001', lines: [{ item_id: lineA!.id, quantity: 1, amount: 1_000_000, restock: true }] });
    // 1,000,000 over cash 3,000,000 and card 5,000,000: 375,000 cash, 625,000 card
    expect(first.body.refund.tenders).toEqual([
      { payment_id: o.cashId, tender_type: 'CASH', amount: 375_000, status: 'SUCCEEDED' },
      { payment_id: o.cardId, tender_type: 'CARD', amount: 625_000, status: 'SUCCEEDED' },
    ]);
    expect(first.body.order).toMatchObject({ payment_status: 'PARTIALLY_REFUNDED', refunded_total: 1_000_000 });

    const second = await api.post(`/api/v1/orders/${o.id}/refunds`, { reason: 'cold', items: [{ item_id: lineA!.id, quantity: 2 }, { item_id: lineB!.id, quantity: 1 }] });
    expect(second.body.refund).toMatchObject({ amount: 4_500_000, receipt_number: 'MAIN-R-000002' });

    const before = await salesRows(s, t);
    const tooMany = await api.post(`/api/v1/orders/${o.id}/refunds`, { reason: 'again', items: [{ item_id: lineA!.id, quantity: 1 }] });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatchObject({ code: 'REFUND_EXCEEDS_PAID', details: { field: 'items.0.quantity' } });
    const tooMuch = await api.post(`/api/v1/orders/${o.id}/refunds`, { reason: 'again', amount: 2_500_001 });
    expect(tooMuch.body.error.code).toBe('REFUND_EXCEEDS_PAID');
    expect(await salesRows(s, t)).toEqual(before);

    const last = await api.post(`/api/v1/orders/${o.id}/refunds`, { reason: 'all of it' });
    expect(last.body.refund).toMatchObject({ kind: 'full', amount: 2_500_000 });
    expect(last.body.order).toMatchObject({ payment_status: 'REFUNDED', refunded_total: 8_000_000 });
    const pays = (await api.get(`/api/v1/orders/${o.id}`)).body.payments;
    expect(pays.map((p: { refunded_amount: number; amount: number }) => p.refunded_amount - p.amount)).toEqual([0, 0]);
    expect((await api.post(`/api/v1/orders/${o.id}/refunds`, { reason: 'more', amount: 1 })).body.error.code).toBe('REFUND_EXCEEDS_PAID');
  });

  it('refunds by amount to the tenders the cashier names, and refuses tenders that do not add up', async () => {
    const o = await completedSplitOrder(api);
    const bad = await api.post(`/api/v1/orders/${o.id}/refunds`, { reason: 'goodwill', amount: 4_000_000, tenders: [{ payment_id: o.cashId, amount: 4_000_000 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('REFUND_TENDERS_INVALID');
    const r = await api.post(`/api/v1/orders/${o.id}/refunds`, { reason: 'goodwill', amount: 4_000_000, tenders: [{ payment_id: o.cardId, amount: 4_000_000 }] });
    expect(r.body.refund).toMatchObject({ kind: 'amount', amount: 4_000_000, lines: [], tenders: [{ payment_id: o.cardId, amount: 4_000_000 }] });
  });

  it('refuses refunds of orders that are not completed', async () => {
    const p = await pricedProduct(api, 1_000_000);
    const o = await openOrder(api, [{ variant_id: p.variantId }]);
    const r = await api.post(`/api/v1/orders/${o.id}/refunds`, { reason: 'x', amount: 1 });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('ORDER_NOT_COMPLETED');
  });

  it('concurrent refunds of the same lines never pass what was paid together', async () => {
    const o = await completedSplitOrder(api);
    const rs = await Promise.all([1, 2, 3, 4].map(() => api.post(`/api/v1/orders/${o.id}/refunds`, { reason: 'race', items: [{ item_id: o.items[0]!.id, quantity: 2 }] })));
    expect(rs.filter((r) => r.status === 201)).toHaveLength(1);
    const [row] = await query<{ refunded: bigint | string }>(s, t, sql`SELECT refunded_total AS refunded FROM orders WHERE id = ${o.id}`);
    expect(BigInt(row!.refunded)).toBe(2_000_000n);
  });

  it('records order.refunded with the lines and their restock flags for the inventory module', async () => {
    const o = await completedSplitOrder(api);
    await api.post(`/api/v1/orders/${o.id}/refunds`, { reason: 'damaged', items: [{ item_id: o.items[1]!.id, quantity: 1, restock: false }] });
    const [e] = await query<{ payload: { lines: { item_id: string; restock: boolean; quantity: number }[]; amount: number } }>(s, t, sql`SELECT payload FROM outbox_events WHERE type = 'order.refunded' AND aggregate_id = ${o.id}`);
    expect(e!.payload).toMatchObject({ amount: 2_500_000, lines: [{ item_id: o.items[1]!.id, restock: false, quantity: 1 }] });
  });
});
