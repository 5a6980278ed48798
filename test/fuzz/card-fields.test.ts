import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTenant, openOrder, pricedProduct, salesRows, startSalesServer, type Client, type TestServer, type TestTenant } from '../api/sales/support.js';

/**
 * The free-text payment `reference` (an external or provider reference) would have kept a card number typed into
 * it; the fuzzer's card scan passed only because it never tried. A reference that holds a full card number
 * (13–19 digits passing Luhn) is refused, naming the field, and nothing is written; ordinary references pass.
 */
let s: TestServer;
let t: TestTenant;
let api: Client;
let variant: string;

beforeAll(async () => {
  s = await startSalesServer();
  t = await createTenant(s.app);
  api = as(s, t);
  variant = (await pricedProduct(api, 1_000_000)).variantId;
});
afterAll(() => s?.stop());

describe('payment reference never keeps a card number', () => {
  it('refuses a PAN in reference on a payment, naming the field, writing nothing', async () => {
    const o = await openOrder(api, [{ variant_id: variant }]);
    const before = await salesRows(s, t);
    const r = await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'EXTERNAL', amount: 1_000_000, reference: 'card 4111 1111 1111 1111' });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field: 'reference', message: expect.stringContaining('card number') }] } });
    expect(await salesRows(s, t)).toEqual(before);
  });

  it('refuses it in a checkout tender too, and keeps ordinary references', async () => {
    const bad = await api.post('/api/v1/checkout', { items: [{ variant_id: variant }], tenders: [{ tender_type: 'EXTERNAL', amount: 1_000_000, reference: '5555555555554444' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].field).toBe('tenders.0.reference');
    for (const reference of ['QRIS-20261121-000123', '4111111111111112' /* fails Luhn: an order number, not a card */]) {
      const ok = await api.post('/api/v1/checkout', { items: [{ variant_id: variant }], tenders: [{ tender_type: 'EXTERNAL', amount: 1_000_000, reference }] });
      expect(ok.status).toBe(201);
      expect(ok.body.payments[0].provider_reference).toBe(reference);
    }
  });
});
