import { expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { call, createTenant, type TestTenant } from '../support/server.js';
import { failure, value } from './driver.js';
import type { SalesDriver } from './sales-driver.js';

export interface SalesContext {
  d: SalesDriver;
  app: App;
  /** The REST server, for setting up the catalog the orders sell from. */
  baseUrl: string;
}

/** A tenant with one product whose only variant is priced `amount` (IDR), set up through REST. */
export async function sellerWith(baseUrl: string, app: App, amount = 2_500_000): Promise<{ t: TestTenant; productId: string; variantId: string }> {
  const t = await createTenant(app);
  const p = await call(baseUrl, 'POST', '/api/v1/products', { headers: t.devHeaders, body: { name: 'Iced Latte', variants: [{ name: 'Regular' }] } });
  if (p.status !== 201) throw new Error(`product: ${p.status} ${JSON.stringify(p.body)}`);
  const variantId = p.body.variants[0].id as string;
  const price = await call(baseUrl, 'POST', '/api/v1/prices', { headers: t.devHeaders, body: { variant_id: variantId, amount, currency: 'IDR' } });
  if (price.status !== 200) throw new Error(`price: ${price.status} ${JSON.stringify(price.body)}`);
  return { t, productId: p.body.id, variantId };
}

/** Creates an order with `quantity` of the variant and finalizes it: OPEN. */
export async function openOrder(d: SalesDriver, t: TestTenant, variantId: string, quantity = 2) {
  const created = value(await d.createOrder(t.devHeaders, { items: [{ variant_id: variantId, quantity }] }));
  return value(await d.finalize(t.devHeaders, created.id));
}

/** The order lifecycle and its refusals, written once and run through REST and gRPC (each makes its own tenants). */
export function salesScenarios(ctx: () => SalesContext): void {
  it('takes an order from DRAFT to COMPLETED: {} at the default outlet, 2 added, finalized, paid in cash with change, completed with a receipt number', async () => {
    const { d, app, baseUrl } = ctx();
    const { t, productId, variantId } = await sellerWith(baseUrl, app);
    const draft = value(await d.createOrder(t.devHeaders, {}));
    expect(draft).toMatchObject({ status: 'DRAFT', payment_status: 'UNPAID', outlet_id: t.outletId, currency: 'IDR', version: 1, total: 0, items: [], receipt_number: null });

    const added = value(await d.addItem(t.devHeaders, draft.id, { product_id: productId, variant_id: variantId, quantity: 2 }));
    expect(added.version).toBe(2);
    expect(added.items).toEqual([expect.objectContaining({ product_id: productId, variant_id: variantId, name: 'Iced Latte', variant_name: 'Regular', quantity: 2, unit_price: 2_500_000, total: 5_000_000 })]);

    const open = value(await d.finalize(t.devHeaders, draft.id));
    expect(open).toMatchObject({ status: 'OPEN', subtotal: 5_000_000, total: 5_000_000, balance_due: 5_000_000, finalized_at: expect.any(String) });

    const paid = value(await d.addPayment(t.devHeaders, draft.id, { payment_type: 'CASH', amount: 6_000_000 }));
    expect(paid.payment).toMatchObject({ tender_type: 'CASH', status: 'CAPTURED', amount: 5_000_000, tendered: 6_000_000, change: 1_000_000, card_last4: null });
    expect(paid.order).toMatchObject({ status: 'OPEN', payment_status: 'PAID', paid_total: 5_000_000, change_due: 1_000_000, balance_due: 0 });

    const done = value(await d.complete(t.devHeaders, draft.id));
    expect(done).toMatchObject({ status: 'COMPLETED', payment_status: 'PAID', total: 5_000_000, paid_total: 5_000_000, change_due: 1_000_000, receipt_number: 'MAIN-000001', completed_at: expect.any(String) });
    expect(value(await d.getOrder(t.devHeaders, draft.id))).toEqual(done);
    const completed = value(await d.listOrders(t.devHeaders, { status: 'COMPLETED', include_items: true }));
    expect(completed.items).toEqual([done]);
    expect(value(await d.listOrders(t.devHeaders, { status: 'DRAFT' })).items).toEqual([]);
  });

  it('refuses a payment on a DRAFT as a failed precondition (ORDER_NOT_OPEN) and takes nothing', async () => {
    const { d, app, baseUrl } = ctx();
    const { t, variantId } = await sellerWith(baseUrl, app);
    const draft = value(await d.createOrder(t.devHeaders, { items: [{ variant_id: variantId, quantity: 1 }] }));
    const e = failure(await d.addPayment(t.devHeaders, draft.id, { payment_type: 'CASH', amount: 2_500_000 }));
    expect([e.status, e.code]).toEqual([d.status('precondition'), 'ORDER_NOT_OPEN']);
    expect(value(await d.getOrder(t.devHeaders, draft.id))).toEqual(draft);
  });

  it('refuses to complete an order that is not paid in full (ORDER_NOT_FULLY_PAID), before and after a partial payment', async () => {
    const { d, app, baseUrl } = ctx();
    const { t, variantId } = await sellerWith(baseUrl, app);
    const open = await openOrder(d, t, variantId);
    const unpaid = failure(await d.complete(t.devHeaders, open.id));
    expect([unpaid.status, unpaid.code]).toEqual([d.status('precondition'), 'ORDER_NOT_FULLY_PAID']);
    value(await d.addPayment(t.devHeaders, open.id, { payment_type: 'CASH', amount: 1_000_000 }));
    const partly = failure(await d.complete(t.devHeaders, open.id));
    expect([partly.status, partly.code]).toEqual([d.status('precondition'), 'ORDER_NOT_FULLY_PAID']);
    expect(value(await d.getOrder(t.devHeaders, open.id))).toMatchObject({ status: 'OPEN', payment_status: 'PARTIALLY_PAID', paid_total: 1_000_000, balance_due: 4_000_000, receipt_number: null });
  });

  it('refuses a change against a stale version as a conflict (ORDER_CONCURRENT_UPDATE), and changes nothing', async () => {
    const { d, app, baseUrl } = ctx();
    const { t, variantId } = await sellerWith(baseUrl, app);
    const draft = value(await d.createOrder(t.devHeaders, {}));
    const v2 = value(await d.addItem(t.devHeaders, draft.id, { variant_id: variantId, quantity: 1, expected_version: 1 }));
    expect(v2.version).toBe(2);
    const stale = failure(await d.addItem(t.devHeaders, draft.id, { variant_id: variantId, quantity: 1, expected_version: 1 }));
    expect([stale.status, stale.code]).toEqual([d.status('conflict'), 'ORDER_CONCURRENT_UPDATE']);
    const staleFinalize = failure(await d.finalize(t.devHeaders, draft.id, { expected_version: 1 }));
    expect([staleFinalize.status, staleFinalize.code]).toEqual([d.status('conflict'), 'ORDER_CONCURRENT_UPDATE']);
    expect(value(await d.getOrder(t.devHeaders, draft.id))).toEqual(v2);
    expect(value(await d.finalize(t.devHeaders, draft.id, { expected_version: 2 }))).toMatchObject({ status: 'OPEN', version: 3 });
  });

  it('refuses a refund above what was paid (REFUND_EXCEEDS_PAID), refunds part of it, then refuses more than is left', async () => {
    const { d, app, baseUrl } = ctx();
    const { t, variantId } = await sellerWith(baseUrl, app);
    const open = await openOrder(d, t, variantId);
    value(await d.addPayment(t.devHeaders, open.id, { payment_type: 'CASH', amount: 5_000_000 }));
    value(await d.complete(t.devHeaders, open.id));
    const above = failure(await d.refund(t.devHeaders, open.id, { reason: 'Too much', amount: 5_000_001 }));
    expect([above.status, above.code]).toEqual([d.status('invalid'), 'REFUND_EXCEEDS_PAID']);

    const part = value(await d.refund(t.devHeaders, open.id, { reason: 'Spilled', amount: 2_000_000 }));
    expect(part.refund).toMatchObject({ kind: 'amount', amount: 2_000_000, reason: 'Spilled', receipt_number: expect.stringMatching(/^MAIN-/), tenders: [{ tender_type: 'CASH', amount: 2_000_000, status: 'SUCCEEDED' }] });
    expect(part.order).toMatchObject({ status: 'COMPLETED', payment_status: 'PARTIALLY_REFUNDED', refunded_total: 2_000_000 });
    const beyond = failure(await d.refund(t.devHeaders, open.id, { reason: 'Again', amount: 3_000_001 }));
    expect([beyond.status, beyond.code]).toEqual([d.status('invalid'), 'REFUND_EXCEEDS_PAID']);
    const byItems = value(await d.refund(t.devHeaders, open.id, { reason: 'Returned', items: [{ item_id: open.items[0]!.id, quantity: 1, restock: true }] }));
    expect(byItems.refund).toMatchObject({ kind: 'items', lines: [{ item_id: open.items[0]!.id, quantity: 1, amount: 2_500_000, restock: true }] });
    expect(value(await d.getOrder(t.devHeaders, open.id))).toMatchObject({ refunded_total: 4_500_000, refunds: [expect.anything(), expect.anything()] });
  });

  it('shows nothing of another tenant’s orders: reading, editing, paying or voiding one is NOT_FOUND and changes nothing', async () => {
    const { d, app, baseUrl } = ctx();
    const { t: a, variantId } = await sellerWith(baseUrl, app);
    const b = await createTenant(app);
    const draft = value(await d.createOrder(a.devHeaders, { items: [{ variant_id: variantId, quantity: 1 }] }));
    const notFound = (r: { ok: boolean }) => {
      const e = failure(r as Parameters<typeof failure>[0]);
      expect([e.status, e.code]).toEqual([d.status('not_found'), 'ORDER_NOT_FOUND']);
    };
    notFound(await d.getOrder(b.devHeaders, draft.id));
    notFound(await d.addItem(b.devHeaders, draft.id, { variant_id: variantId, quantity: 1 }));
    notFound(await d.finalize(b.devHeaders, draft.id));
    notFound(await d.addPayment(b.devHeaders, draft.id, { payment_type: 'CASH', amount: 1 }));
    notFound(await d.voidOrder(b.devHeaders, draft.id, { reason: 'Hijacked' }));
    expect(value(await d.getOrder(a.devHeaders, draft.id))).toEqual(draft);
    expect(value(await d.listOrders(b.devHeaders)).items).toEqual([]);
  });
}
