import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeProvider } from '../../support/payment-provider.js';
import { as, createTenant, openOrder, pricedProduct, startSalesServer, type Client, type TestServer } from './support.js';

const sim = new FakeProvider();
let s: TestServer;
let api: Client;
let item: { productId: string; variantId: string };

beforeAll(async () => {
  s = await startSalesServer({}, { providers: [sim] });
  api = as(s, await createTenant(s.app));
  item = await pricedProduct(api, 5_000_000);
});
afterAll(() => s.stop());

describe('payment providers (never called inside a transaction)', () => {
  it('charges a card through the provider and records its reference and card, never a card number', async () => {
    const o = await openOrder(api, [{ variant_id: item.variantId }]);
    const r = await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CARD', amount: 5_000_000, provider: 'simpay', idempotency_key: 'card-1' });
    expect(r.status).toBe(201);
    expect(r.body.payment).toMatchObject({ status: 'CAPTURED', provider: 'simpay', provider_reference: expect.stringMatching(/^sim_/), card_last4: '4242', card_brand: 'VISA' });
    expect(r.body.order).toMatchObject({ payment_status: 'PAID', balance_due: 0 });
    expect((await api.post(`/api/v1/orders/${o.id}/complete`)).body.status).toBe('COMPLETED');
  });

  it('shows a decline as a FAILED payment and leaves the order unpaid', async () => {
    const o = await openOrder(api, [{ variant_id: item.variantId }]);
    const r = await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CARD', amount: 1_000_013, provider: 'simpay', idempotency_key: 'card-declined' });
    expect(r.status).toBe(201);
    expect(r.body.payment).toMatchObject({ status: 'FAILED', failure_reason: 'insufficient funds' });
    expect(r.body.order).toMatchObject({ paid_total: 0, payment_status: 'UNPAID' });
  });

  it('when the provider is unreachable the payment stays PENDING; the retry with its key resumes it and charges once', async () => {
    const o = await openOrder(api, [{ variant_id: item.variantId }]);
    sim.down = true;
    const first = await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CARD', amount: 5_000_000, provider: 'simpay', idempotency_key: 'card-retry' });
    expect(first.status).toBe(503);
    expect(first.body.error.code).toBe('PAYMENT_PROVIDER_UNAVAILABLE');
    expect((await api.get(`/api/v1/orders/${o.id}`)).body.payments).toMatchObject([{ status: 'PENDING', amount: 5_000_000 }]);
    sim.down = false;
    const before = sim.authorizeCalls;
    const retry = await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CARD', amount: 5_000_000, provider: 'simpay', idempotency_key: 'card-retry' });
    expect(retry.body.payment).toMatchObject({ status: 'CAPTURED' });
    expect(retry.body.order.paid_total).toBe(5_000_000);
    const again = await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CARD', amount: 5_000_000, provider: 'simpay', idempotency_key: 'card-retry' });
    expect(again.body).toMatchObject({ replayed: true, payment: { id: retry.body.payment.id } });
    expect(sim.authorizeCalls - before).toBe(1);
    expect([...sim.charges.keys()].filter((k) => k === 'card-retry')).toHaveLength(1);
  });

  it('refunds a provider card payment through the provider after commit', async () => {
    const o = await openOrder(api, [{ variant_id: item.variantId }]);
    const paid = await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CARD', amount: 5_000_000, provider: 'simpay', idempotency_key: 'card-refund' });
    await api.post(`/api/v1/orders/${o.id}/complete`);
    const r = await api.post(`/api/v1/orders/${o.id}/refunds`, { reason: 'wrong size', amount: 2_000_000 });
    expect(r.status).toBe(201);
    expect(r.body.refund.tenders).toMatchObject([{ payment_id: paid.body.payment.id, amount: 2_000_000, status: 'SUCCEEDED' }]);
    expect(sim.charges.get('card-refund')!.refunded).toBe(2_000_000n);
  });

  it('voids a provider charge when its payment is taken off an open order', async () => {
    const o = await openOrder(api, [{ variant_id: item.variantId }]);
    const paid = await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CARD', amount: 5_000_000, provider: 'simpay', idempotency_key: 'card-void' });
    const back = await api.post(`/api/v1/orders/${o.id}/payments/${paid.body.payment.id}/void`);
    expect(back.body).toMatchObject({ paid_total: 0, payments: [{ status: 'VOIDED' }] });
    expect(sim.charges.get('card-void')!.voided).toBe(true);
    expect((await api.post(`/api/v1/orders/${o.id}/void`, { reason: 'changed mind' })).body.status).toBe('VOIDED');
  });

  it('refuses a provider tender in the one-request checkout (a provider is never called inside its transaction)', async () => {
    const r = await api.post('/api/v1/checkout', { items: [{ variant_id: item.variantId }], tenders: [{ tender_type: 'CARD', amount: 5_000_000, provider: 'simpay' }] });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'PAYMENT_TENDER_UNSUPPORTED', details: { field: 'tenders.0.provider' } });
  });

  it('takes the Idempotency-Key header as the payment’s and the refund’s own key: a retried card charge and refund go to the provider once', async () => {
    const o = await openOrder(api, [{ variant_id: item.variantId }]);
    const pay = () => api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CARD', amount: 5_000_000, provider: 'simpay' }, { 'idempotency-key': `hdr-pay-${o.id}` });
    const first = await pay();
    expect(first.status).toBe(201);
    expect(first.body.payment).toMatchObject({ status: 'CAPTURED', idempotency_key: `hdr-pay-${o.id}` });
    const calls = sim.authorizeCalls;
    const again = await pay();
    expect(again.body.payment.id).toBe(first.body.payment.id);
    expect(sim.authorizeCalls).toBe(calls);

    const clash = await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CARD', amount: 1, provider: 'simpay', idempotency_key: 'other' }, { 'idempotency-key': 'hdr-x' });
    expect(clash.status).toBe(400);
    expect(clash.body.error.details.fields[0].field).toBe('idempotency_key');

    expect((await api.post(`/api/v1/orders/${o.id}/complete`, {})).status).toBe(200);
    const refund = () => api.post(`/api/v1/orders/${o.id}/refunds`, { reason: 'returned', amount: 1_000_000 }, { 'idempotency-key': `hdr-refund-${o.id}` });
    const r1 = await refund();
    expect(r1.status).toBe(201);
    expect(r1.body.refund.tenders).toMatchObject([{ amount: 1_000_000, status: 'SUCCEEDED' }]);
    const r2 = await refund();
    expect(r2.body.refund.id).toBe(r1.body.refund.id);
    expect(sim.charges.get(`hdr-pay-${o.id}`)!.refunded).toBe(1_000_000n);
  });
});
