import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentProvider, ProviderCharge, ProviderOutcome } from '../../../src/modules/sales/index.js';
import { as, createTenant, openOrder, pricedProduct, startSalesServer, type Client, type TestServer } from './support.js';

/** A card provider simulator: idempotent by key, declines amounts ending in 13, can be made unreachable. */
class FakeProvider implements PaymentProvider {
  readonly name = 'simpay';
  readonly charges = new Map<string, { reference: string; amount: bigint; captured: boolean; refunded: bigint; voided: boolean }>();
  authorizeCalls = 0;
  down = false;
  private n = 0;

  private reachable(): void {
    if (this.down) throw new Error('ECONNRESET');
  }
  async authorize(c: ProviderCharge): Promise<ProviderOutcome> {
    this.reachable();
    this.authorizeCalls++;
    if (c.amount % 100n === 13n) return { status: 'declined', reason: 'insufficient funds' };
    let ch = this.charges.get(c.idempotencyKey);
    if (!ch) this.charges.set(c.idempotencyKey, (ch = { reference: `sim_${++this.n}`, amount: c.amount, captured: false, refunded: 0n, voided: false }));
    return { status: 'authorized', reference: ch.reference };
  }
  async capture(reference: string): Promise<ProviderOutcome> {
    this.reachable();
    const ch = [...this.charges.values()].find((x) => x.reference === reference)!;
    ch.captured = true;
    return { status: 'captured', reference, cardBrand: 'VISA', cardLast4: '4242' };
  }
  async void(reference: string): Promise<ProviderOutcome> {
    const ch = [...this.charges.values()].find((x) => x.reference === reference)!;
    ch.voided = true;
    return { status: 'voided', reference };
  }
  async refund(reference: string, amount: bigint): Promise<ProviderOutcome> {
    this.reachable();
    const ch = [...this.charges.values()].find((x) => x.reference === reference)!;
    ch.refunded += amount;
    return { status: 'refunded', reference: `${reference}_r` };
  }
  async status(reference: string | undefined, c: ProviderCharge): Promise<ProviderOutcome> {
    this.reachable();
    const ch = this.charges.get(c.idempotencyKey);
    return ch?.captured ? { status: 'captured', reference: ch.reference } : { status: 'pending', reference: reference ?? '' };
  }
}

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
});
