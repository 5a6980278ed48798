import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTenant, pricedProduct, salesRows, startSalesServer, type Client, type TestServer, type TestTenant } from './support.js';

let s: TestServer;
let t: TestTenant;
let api: Client;
let dish: { productId: string; variantId: string };

beforeAll(async () => {
  s = await startSalesServer();
  t = await createTenant(s.app);
  api = as(s, t);
  dish = await pricedProduct(api, 10_000_000); // 100,000.00 IDR
  const pb1 = await api.post('/api/v1/tax-rules', { name: 'PB1', rate_bps: 1000 });
  expect(pb1.status).toBe(201);
});
afterAll(() => s.stop());

const order = (order_type: string) => ({ order_type, items: [{ variant_id: dish.variantId, quantity: 1 }] });

describe('service charges', () => {
  it('a taxable 5% dine-in charge is added before tax and taxed with the lines; takeaway gets none', async () => {
    const c = await api.post('/api/v1/service-charges', { name: 'Service 5%', kind: 'percentage', rate_bps: 500, taxable: true, order_types: ['dine_in'] });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ name: 'Service 5%', kind: 'percentage', rate_bps: 500, amount: null, stage: 'before_tax', taxable: true, order_types: ['dine_in'] });

    const dineIn = await api.post('/api/v1/orders/calculate', order('dine_in'));
    expect(dineIn.status).toBe(200);
    // 100,000 + 5,000 service, PB1 10% on both = 10,500.
    expect(dineIn.body).toMatchObject({ subtotal: 10_000_000, service_charge_total: 500_000, tax_total: 1_050_000, total: 11_550_000 });
    const takeaway = await api.post('/api/v1/orders/calculate', order('takeaway'));
    expect(takeaway.body).toMatchObject({ service_charge_total: 0, tax_total: 1_000_000, total: 11_000_000 });

    const sale = await api.post('/api/v1/checkout', { ...order('dine_in'), tenders: [{ tender_type: 'CASH', amount: 11_550_000 }] });
    expect(sale.status).toBe(201);
    expect(sale.body).toMatchObject({ status: 'COMPLETED', service_charge_total: 500_000, total: 11_550_000 });
    const receipt = await api.get(`/api/v1/orders/${sale.body.id}/receipt?format=text`);
    expect(receipt.status).toBe(200);
    expect(String(receipt.body)).toContain('Service 5%');

    await api.post(`/api/v1/service-charges/${c.body.id}/archive`, {});
  });

  it('a finalized order keeps its charge after the rule changes; new orders follow the rule', async () => {
    const c = await api.post('/api/v1/service-charges', { name: 'Delivery fee', kind: 'fixed', amount: 1_500_000, order_types: ['delivery'] });
    expect(c.status).toBe(201);
    const o = await api.post('/api/v1/orders', order('delivery'));
    const f = await api.post(`/api/v1/orders/${o.body.id}/finalize`, {});
    expect(f.body).toMatchObject({ service_charge_total: 1_500_000, total: 12_500_000 });

    const changed = await api.patch(`/api/v1/service-charges/${c.body.id}`, { amount: 2_000_000 });
    expect(changed.status).toBe(200);
    expect((await api.get(`/api/v1/orders/${o.body.id}`)).body.total).toBe(12_500_000);
    expect((await api.post('/api/v1/orders/calculate', order('delivery'))).body.service_charge_total).toBe(2_000_000);

    await api.post(`/api/v1/service-charges/${c.body.id}/archive`, {});
    expect((await api.post('/api/v1/orders/calculate', order('delivery'))).body.service_charge_total).toBe(0);
    expect((await api.get('/api/v1/service-charges')).body.items.map((x: { id: string }) => x.id)).not.toContain(c.body.id);
    expect((await api.get('/api/v1/service-charges?include_archived=true')).body.items.map((x: { id: string }) => x.id)).toContain(c.body.id);
  });

  it('refuses a rule whose kind and figure disagree, an unknown tax category or outlet, and a rate out of range, naming the field', async () => {
    const before = await salesRows(s, t);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'X', kind: 'percentage' }, 'rate_bps'],
      [{ name: 'X', kind: 'fixed', rate_bps: 500 }, 'amount'],
      [{ name: 'X', kind: 'percentage', rate_bps: 100_001 }, 'rate_bps'],
      [{ name: 'X', kind: 'fixed', amount: -1 }, 'amount'],
      [{ name: 'X', kind: 'percentage', rate_bps: 500, tax_category_id: '01900000-0000-7000-8000-000000000001' }, 'tax_category_id'],
      [{ name: 'X', kind: 'percentage', rate_bps: 500, outlet_id: '01900000-0000-7000-8000-000000000001' }, 'outlet_id'],
      [{ name: 'X', kind: 'percentage', rate_bps: 500, order_types: ['picnic'] }, 'order_types.0'],
    ];
    for (const [body, field] of cases) {
      const r = await api.post('/api/v1/service-charges', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.details.fields.map((f: { field: string }) => f.field), JSON.stringify(body)).toContain(field);
    }
    const c = await api.post('/api/v1/service-charges', { name: 'Y', kind: 'percentage', rate_bps: 300, active: false });
    const switched = await api.patch(`/api/v1/service-charges/${c.body.id}`, { kind: 'fixed' });
    expect(switched.status).toBe(400);
    expect(switched.body.error.details.fields[0].field).toBe('amount');
    expect((await api.get(`/api/v1/service-charges/${c.body.id}`)).body).toMatchObject({ kind: 'percentage', rate_bps: 300 });
    expect(await salesRows(s, t)).toEqual(before);
  });
});
