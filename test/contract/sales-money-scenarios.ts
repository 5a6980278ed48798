import { expect, it } from 'vitest';
import { uuidv7 } from '../../src/platform/ids.js';
import { failure, value } from './driver.js';
import { openOrder, sellerWith, type SalesContext } from './sales-scenarios.js';

/** Checkout, DRAFT edits, discounts, payment retries and voids, written once and run through REST and gRPC. */
export function salesMoneyScenarios(ctx: () => SalesContext): void {
  it('checks out in one request with the interactive flow’s figures: completed, numbered, change given', async () => {
    const { d, app, baseUrl } = ctx();
    const { t, variantId } = await sellerWith(baseUrl, app);
    const items = [{ variant_id: variantId, quantity: 2 }];
    const quote = value(await d.calculate(t.devHeaders, { items }));
    expect(quote).toMatchObject({ outlet_id: t.outletId, currency: 'IDR', subtotal: 5_000_000, total: 5_000_000, lines: [{ variant_id: variantId, quantity: 2, unit_price: 2_500_000, total: 5_000_000 }] });
    expect(value(await d.listOrders(t.devHeaders)).items).toEqual([]); // calculating wrote nothing

    const short = failure(await d.checkout(t.devHeaders, { items, tenders: [{ payment_type: 'CASH', amount: 4_000_000 }] }));
    expect([short.status, short.code]).toEqual([d.status('precondition'), 'ORDER_NOT_FULLY_PAID']);
    expect(value(await d.listOrders(t.devHeaders)).items).toEqual([]);

    const sold = value(await d.checkout(t.devHeaders, { items, tenders: [{ payment_type: 'CASH', amount: 10_000_000 }] }));
    expect(sold).toMatchObject({ status: 'COMPLETED', payment_status: 'PAID', receipt_number: 'MAIN-000001', total: quote.total, paid_total: 5_000_000, change_due: 5_000_000 });
    expect(sold.payments).toEqual([expect.objectContaining({ tender_type: 'CASH', amount: 5_000_000, tendered: 10_000_000, change: 5_000_000 })]);
    // Read back as answered, but for the payments' captured_at: checkout answers the time it took in memory and
    // stores the database's (a few ms apart, through either transport). Reported to the sales module.
    const stored = value(await d.getOrder(t.devHeaders, sold.id));
    expect(stored).toEqual({ ...sold, payments: sold.payments.map((p) => ({ ...p, captured_at: expect.any(String) })) });

    const empty = failure(await d.checkout(t.devHeaders, { items: [], tenders: [{ payment_type: 'CASH', amount: 1 }] }));
    expect([empty.status, empty.code, empty.fields]).toEqual([d.status('invalid'), 'VALIDATION_FAILED', ['items']]);
  });

  it('edits a DRAFT: changes a line, empties its notes, discounts the order, removes a line', async () => {
    const { d, app, baseUrl } = ctx();
    const { t, variantId } = await sellerWith(baseUrl, app);
    const draft = value(await d.createOrder(t.devHeaders, { items: [{ variant_id: variantId, quantity: 1, notes: 'less ice' }, { variant_id: variantId, quantity: 1 }] }));
    const [first, second] = draft.items;
    expect(first).toMatchObject({ notes: 'less ice', seat: null, discount: null });

    const changed = value(await d.updateItem(t.devHeaders, draft.id, first!.id, { quantity: 3, seat: 2 }));
    expect(changed.items[0]).toMatchObject({ quantity: 3, seat: 2, notes: 'less ice', total: 7_500_000 });
    const emptied = value(await d.updateItem(t.devHeaders, draft.id, first!.id, { notes: null }));
    expect(emptied.items[0]).toMatchObject({ quantity: 3, seat: 2, notes: null });

    const discounted = value(await d.applyDiscount(t.devHeaders, draft.id, { type: 'percentage', rate_bp: 1000, reason: 'Member' }));
    expect(discounted).toMatchObject({ discount: { type: 'percentage', rate_bp: 1000, reason: 'Member' }, subtotal: 10_000_000, discount_total: 1_000_000, total: 9_000_000 });
    const fixed = value(await d.applyDiscount(t.devHeaders, draft.id, { type: 'fixed', amount: 500_000 }));
    expect(fixed).toMatchObject({ discount: { type: 'fixed', amount: 500_000, reason: null }, total: 9_500_000 });
    const undiscounted = value(await d.applyDiscount(t.devHeaders, draft.id, null));
    expect(undiscounted).toMatchObject({ discount: null, discount_total: 0, total: 10_000_000 });

    const removed = value(await d.removeItem(t.devHeaders, draft.id, second!.id));
    expect(removed.items.map((i) => i.id)).toEqual([first!.id]);
    expect(removed).toMatchObject({ total: 7_500_000, version: undiscounted.version + 1 });

    const bad = failure(await d.updateItem(t.devHeaders, draft.id, first!.id, { quantity: 0 }));
    expect([bad.status, bad.code, bad.fields]).toEqual([d.status('invalid'), 'VALIDATION_FAILED', ['quantity']]);
    value(await d.finalize(t.devHeaders, draft.id));
    const late = failure(await d.addItem(t.devHeaders, draft.id, { variant_id: variantId }));
    expect([late.status, late.code]).toEqual([d.status('precondition'), 'ORDER_NOT_DRAFT']);
  });

  it('charges a payment retried with its idempotency key once, and refuses the key for another payment', async () => {
    const { d, app, baseUrl } = ctx();
    const { t, variantId } = await sellerWith(baseUrl, app);
    const open = await openOrder(d, t, variantId);
    const key = `pay-${uuidv7()}`;
    const first = value(await d.addPayment(t.devHeaders, open.id, { payment_type: 'CARD', amount: 2_000_000, card_last4: '4242', idempotency_key: key }));
    expect(first.payment).toMatchObject({ tender_type: 'CARD', amount: 2_000_000, card_last4: '4242', idempotency_key: key });
    const again = value(await d.addPayment(t.devHeaders, open.id, { payment_type: 'CARD', amount: 2_000_000, card_last4: '4242', idempotency_key: key }));
    expect(again.payment).toEqual(first.payment);
    expect(value(await d.getOrder(t.devHeaders, open.id))).toMatchObject({ paid_total: 2_000_000, payments: [expect.objectContaining({ id: first.payment.id })] });
    const other = failure(await d.addPayment(t.devHeaders, open.id, { payment_type: 'CARD', amount: 3_000_000, idempotency_key: key }));
    // REST names the payment's key (PAYMENT_KEY_REUSED), gRPC the request's (IDEMPOTENCY_KEY_REUSED): one key, both refusals.
    expect([other.status, other.code]).toEqual([d.status('idempotency_mismatch'), expect.stringMatching(/^(PAYMENT|IDEMPOTENCY)_KEY_REUSED$/)]);
    const over = failure(await d.addPayment(t.devHeaders, open.id, { payment_type: 'CARD', amount: 3_000_001 }));
    expect([over.status, over.code]).toEqual([d.status('invalid'), 'PAYMENT_EXCEEDS_BALANCE']);
  });

  it('voids an order with a reason, refusing while a payment is on it until that payment is voided', async () => {
    const { d, app, baseUrl } = ctx();
    const { t, variantId } = await sellerWith(baseUrl, app);
    const open = await openOrder(d, t, variantId);
    const cash = value(await d.addPayment(t.devHeaders, open.id, { payment_type: 'CASH', amount: 1_000_000 }));
    const held = failure(await d.voidOrder(t.devHeaders, open.id, { reason: 'Customer left' }));
    expect([held.status, held.code]).toEqual([d.status('precondition'), 'ORDER_HAS_CAPTURED_PAYMENTS']);
    const back = value(await d.voidPayment(t.devHeaders, open.id, cash.payment.id));
    expect(back).toMatchObject({ paid_total: 0, payment_status: 'UNPAID', payments: [expect.objectContaining({ id: cash.payment.id, status: 'VOIDED' })] });
    const noReason = failure(await d.voidOrder(t.devHeaders, open.id, { reason: '' }));
    expect([noReason.status, noReason.fields]).toEqual([d.status('invalid'), ['reason']]);
    const voided = value(await d.voidOrder(t.devHeaders, open.id, { reason: 'Customer left' }));
    expect(voided).toMatchObject({ status: 'VOIDED', void_reason: 'Customer left', voided_at: expect.any(String) });
    const again = failure(await d.complete(t.devHeaders, open.id));
    expect([again.status, again.code]).toEqual([d.status('precondition'), 'ORDER_INVALID_TRANSITION']);
  });
}
