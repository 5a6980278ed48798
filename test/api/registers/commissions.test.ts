import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTenant, pricedProduct, startSalesServer, type Client, type TestServer, type TestTenant } from '../sales/support.js';
import { staffMember } from './support.js';

let s: TestServer;
let t: TestTenant;
let owner: Client;

beforeAll(async () => {
  s = await startSalesServer();
  t = await createTenant(s.app);
  owner = as(s, t);
});
afterAll(() => s.stop());

describe('commissions', () => {
  it('are earned on completion under the most specific rule, reversed by refunds, and summed in a statement', async () => {
    const cat = await owner.post('/api/v1/categories', { name: 'Beans' });
    const beans = await pricedProduct(owner, 30_000, { category_id: cat.body.id });
    const mug = await pricedProduct(owner, 50_000);
    const cashier = await staffMember(s, t, owner, 'cashier');
    const roles = await owner.get('/api/v1/roles?page_size=100');
    const cashierRole = roles.body.items.find((r: { key: string }) => r.key === 'cashier').id;
    // Everyone in the cashier role: 5 % of net sales, but 1,000 per mug. On the Beans category for this person: 10 %.
    expect((await owner.post('/api/v1/commission-rules', { name: 'Cashiers', role_id: cashierRole, kind: 'percentage', rate_bps: 500 })).status).toBe(201);
    await owner.post('/api/v1/commission-rules', { name: 'Sari beans', staff_member_id: cashier.id, category_id: cat.body.id, kind: 'percentage', rate_bps: 1000 });
    await owner.post('/api/v1/commission-rules', { name: 'Mugs', role_id: cashierRole, product_id: mug.productId, kind: 'fixed_per_item', amount: 1000 });
    // Less specific than the role's own rules: never picked for this cashier.
    await owner.post('/api/v1/commission-rules', { name: 'Anyone, mugs', product_id: mug.productId, kind: 'fixed_per_item', amount: 99_000 });
    const bad = await owner.post('/api/v1/commission-rules', { name: 'Both', kind: 'percentage', rate_bps: 100, amount: 5 });
    expect(bad.body.error.details.fields[0].field).toBe('rate_bps');
    expect((await owner.post('/api/v1/commission-rules', { name: 'Ghost', role_id: '01900000-0000-7000-8000-000000000000', kind: 'percentage', rate_bps: 1 })).body.error.details.fields[0].field).toBe('role_id');

    const sale = await cashier.api.post('/api/v1/checkout', {
      items: [{ variant_id: beans.variantId, quantity: 2 }, { variant_id: mug.variantId, quantity: 3 }],
      tenders: [{ tender_type: 'CASH', amount: 210_000 }],
    });
    expect(sale.status).toBe(201);
    // Beans: 10 % of 60,000 = 6,000 (the person's category rule beats the role's). Mugs: the role's mug rule, 3 × 1,000.
    const st = await cashier.api.get(`/api/v1/staff/${cashier.id}/commissions`);
    expect(st.status).toBe(200);
    expect(st.body).toMatchObject({ earned: 9_000, reversed: 0, net: 9_000 });
    expect(st.body.items.map((c: { amount: number }) => c.amount).sort()).toEqual([3_000, 6_000]);

    const beansLine = sale.body.items.find((i: { variant_id: string }) => i.variant_id === beans.variantId);
    const r = await owner.post(`/api/v1/orders/${sale.body.id}/refunds`, { reason: 'stale', items: [{ item_id: beansLine.id, quantity: 1 }] });
    expect(r.status).toBe(201);
    const after = await owner.get(`/api/v1/staff/${cashier.id}/commissions`);
    expect(after.body).toMatchObject({ earned: 9_000, reversed: 3_000, net: 6_000 });
    // The whole rest refunded by amount: never more than was earned comes back.
    await owner.post(`/api/v1/orders/${sale.body.id}/refunds`, { reason: 'all', amount: sale.body.total - 30_000 });
    const end = await owner.get(`/api/v1/staff/${cashier.id}/commissions`);
    expect(end.body).toMatchObject({ earned: 9_000, net: 0 });
    // Another cashier may not read this statement; a future window is empty.
    const other = await staffMember(s, t, owner, 'cashier');
    expect((await other.api.get(`/api/v1/staff/${cashier.id}/commissions`)).status).toBe(403);
    expect((await owner.get(`/api/v1/staff/${cashier.id}/commissions?from=2099-01-01T00:00:00Z&to=2099-02-01T00:00:00Z`)).body).toMatchObject({ items: [], net: 0 });
  });
});
