import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTenant, openOrder, pricedProduct, startSalesServer, type Client, type TestServer, type TestTenant } from './support.js';

let s: TestServer;
beforeAll(async () => {
  s = await startSalesServer();
});
afterAll(() => s.stop());

describe('order queries', () => {
  let t: TestTenant;
  let api: Client;
  let ids: { draft: string; open: string; done: string; other: string; doneReceipt: string };
  let second: string;

  beforeAll(async () => {
    t = await createTenant(s.app);
    api = as(s, t);
    const p = await pricedProduct(api, 1_000_000);
    second = (await api.post('/api/v1/outlets', { code: 'KMG', name: 'Kemang', business_day_cutoff: '04:00' })).body.id;
    const draft = (await api.post('/api/v1/orders', { customer_id: '01900000-0000-7000-8000-0000000000aa' })).body.id;
    const open = await openOrder(api, [{ variant_id: p.variantId }]);
    const done = await api.post('/api/v1/checkout', { items: [{ variant_id: p.variantId }], tenders: [{ tender_type: 'CASH', amount: 1_000_000 }], customer_id: '01900000-0000-7000-8000-0000000000aa' });
    const other = await api.post('/api/v1/checkout', { outlet_id: second, items: [{ variant_id: p.variantId }], tenders: [{ tender_type: 'CARD', amount: 1_000_000 }] });
    ids = { draft, open: open.id, done: done.body.id, other: other.body.id, doneReceipt: done.body.receipt_number };
  });

  const listed = async (q: string) => {
    const r = await api.get(`/api/v1/orders${q}`);
    expect(r.status).toBe(200);
    return r.body.items.map((o: { id: string }) => o.id);
  };

  it('filters by status, payment status, outlet, customer, cashier and receipt number', async () => {
    expect(await listed('?status=DRAFT')).toEqual([ids.draft]);
    expect(await listed('?status=OPEN')).toEqual([ids.open]);
    expect(await listed('?status=COMPLETED')).toEqual([ids.done, ids.other]);
    expect(await listed('?payment_status=PAID')).toEqual([ids.done, ids.other]);
    expect(await listed(`?outlet_id=${second}`)).toEqual([ids.other]);
    expect(await listed('?customer_id=01900000-0000-7000-8000-0000000000aa')).toEqual([ids.draft, ids.done]);
    expect(await listed(`?cashier_membership_id=${t.ownerMembershipId}`)).toHaveLength(4);
    expect(await listed(`?receipt_number=${ids.doneReceipt}`)).toEqual([ids.done]);
  });

  it('filters by the outlets’ business dates and pages with tokens', async () => {
    const today = (await api.get(`/api/v1/orders/${ids.done}`)).body.business_date as string;
    expect(await listed(`?business_date_from=${today}&business_date_to=${today}&outlet_id=${t.outletId}`)).toEqual([ids.draft, ids.open, ids.done]);
    expect(await listed('?business_date_to=2000-01-01')).toEqual([]);
    const first = await api.get('/api/v1/orders?page_size=3');
    expect(first.body.items).toHaveLength(3);
    expect(first.body.items[0].items).toEqual([]); // lists leave lines out unless asked
    const rest = await api.get(`/api/v1/orders?page_size=3&page_token=${first.body.next_page_token}&include_items=true`);
    expect(rest.body.items.map((o: { id: string }) => o.id)).toEqual([ids.other]);
    expect(rest.body.items[0].items).toHaveLength(1);
    expect(rest.body.next_page_token).toBe('');
    expect((await api.get('/api/v1/orders?status=NOPE')).status).toBe(400);
    expect((await api.get('/api/v1/orders?business_date_from=yesterday')).status).toBe(400);
  });

  it('gets an order with items, payments and refunds', async () => {
    await api.post(`/api/v1/orders/${ids.done}/refunds`, { reason: 'late', amount: 100_000 });
    const r = await api.get(`/api/v1/orders/${ids.done}`);
    expect(r.body).toMatchObject({ status: 'COMPLETED', payment_status: 'PARTIALLY_REFUNDED', refunded_total: 100_000, items: [{ quantity: 1 }], payments: [{ tender_type: 'CASH' }], refunds: [{ amount: 100_000, kind: 'amount' }] });
  });
});

describe('cash rounding and business days', () => {
  it('rounds what cash settles to the tenant’s cash unit and shows the adjustment', async () => {
    const t = await createTenant(s.app);
    const api = as(s, t);
    expect((await api.patch('/api/v1/tenant', { cash_rounding_unit: 10_000 })).status).toBe(200);
    const p = await pricedProduct(api, 1_234_567);
    const o = await openOrder(api, [{ variant_id: p.variantId }]);
    const paid = await api.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CASH', amount: 2_000_000 });
    expect(paid.body.payment).toMatchObject({ amount: 1_230_000, change: 770_000 });
    expect(paid.body.order).toMatchObject({ subtotal: 1_234_567, rounding_adjustment: -4_567, total: 1_230_000, balance_due: 0 });
    // a card pays exactly; a checkout that ends in cash rounds only the cash part
    const mixed = await api.post('/api/v1/checkout', { items: [{ variant_id: p.variantId }], tenders: [{ tender_type: 'CARD', amount: 1_000_000 }, { tender_type: 'CASH', amount: 300_000 }] });
    expect(mixed.body).toMatchObject({ total: 1_230_000, rounding_adjustment: -4_567, paid_total: 1_230_000, change_due: 70_000 });
  });

  it('books a sale after midnight but before the cut-off on the evening’s business day', async () => {
    const t = await createTenant(s.app, { time_zone: 'Asia/Jakarta' });
    const api = as(s, t);
    const p = await pricedProduct(api, 1_000_000);
    // a cut-off one minute before the current local time keeps today; one minute after moves to yesterday
    const now = new Date();
    const local = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(now);
    const part = (k: string) => local.find((x) => x.type === k)!.value;
    const minute = (Number(part('hour')) % 24) * 60 + Number(part('minute'));
    const today = `${part('year')}-${part('month')}-${part('day')}`;
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    if (minute < 2 || minute > 1436) return; // too close to midnight to tell the two apart
    const early = (await api.post('/api/v1/outlets', { code: 'EARLY', name: 'Early', business_day_cutoff: hhmm(minute - 1) })).body.id;
    const late = (await api.post('/api/v1/outlets', { code: 'LATE', name: 'Late', business_day_cutoff: hhmm(minute + 2) })).body.id;
    const a = await api.post('/api/v1/checkout', { outlet_id: early, items: [{ variant_id: p.variantId }], tenders: [{ tender_type: 'CASH', amount: 1_000_000 }] });
    const b = await api.post('/api/v1/checkout', { outlet_id: late, items: [{ variant_id: p.variantId }], tenders: [{ tender_type: 'CASH', amount: 1_000_000 }] });
    expect(a.body).toMatchObject({ business_date: today, receipt_number: 'EARLY-000001' });
    expect(b.body).toMatchObject({ business_date: yesterday, receipt_number: 'LATE-000001' });
  });
});
