import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src/platform/ids.js';
import { as, createTenant, pricedProduct, query, salesRows, startSalesServer, type TestServer } from '../sales/support.js';

let s: TestServer;
beforeAll(async () => {
  s = await startSalesServer();
});
afterAll(() => s.stop());

describe('manual discount limits', () => {
  it('a role may give discounts up to its limit; above it only with pos:sale:discount:override, recorded', async () => {
    const t = await createTenant(s.app);
    const owner = as(s, t);
    const p = await pricedProduct(owner, 1_000_000);
    const role = await owner.post('/api/v1/roles', { key: 'barista', name: 'Barista', level: 10, permissions: ['pos:sale:create', 'pos:sale:read', 'pos:sale:discount', 'pos:catalog:read'] });
    expect(role.status, JSON.stringify(role.body)).toBe(201);
    const roles = await owner.get('/api/v1/roles?page_size=100');
    const managerRole = roles.body.items.find((r: { key: string }) => r.key === 'manager').id as string;
    const staff = async (roleId: string) => {
      const m = await owner.post('/api/v1/staff', { user_id: uuidv7(), role_id: roleId, display_name: 'Someone' });
      expect(m.status, JSON.stringify(m.body)).toBe(201);
      return as(s, t, { 'x-dev-tenant-id': t.tenantId, 'x-dev-membership-id': m.body.id });
    };
    const barista = await staff(role.body.id);
    const manager = await staff(managerRole);

    const bad = await owner.put('/api/v1/discount-limits/barista', { max_rate_bp: 12_000 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error.details)).toContain('max_rate_bp');
    expect((await owner.put('/api/v1/discount-limits/barista', { max_rate_bp: 1000, max_amount: 50_000 })).status).toBe(200);
    expect((await owner.put('/api/v1/discount-limits/manager', { max_rate_bp: 1000 })).status).toBe(200);
    expect((await owner.get('/api/v1/discount-limits')).body.items.map((x: { role_key: string }) => x.role_key)).toEqual(['barista', 'manager']);

    const within = await barista.post('/api/v1/orders', { items: [{ variant_id: p.variantId, discount: { type: 'percentage', rate_bp: 1000 } }] });
    expect(within.status, JSON.stringify(within.body)).toBe(201);

    const before = await salesRows(s, t);
    const over = await barista.post('/api/v1/orders', { items: [{ variant_id: p.variantId, discount: { type: 'percentage', rate_bp: 2000 } }] });
    expect(over.status).toBe(403);
    expect(over.body.error).toMatchObject({ code: 'DISCOUNT_OVER_LIMIT', details: { field: 'items.0.discount', max_rate_bp: 1000 } });
    const overCheckout = await barista.post('/api/v1/checkout', { items: [{ variant_id: p.variantId }], discount: { type: 'fixed', amount: 100_000 }, tenders: [{ tender_type: 'CASH', amount: 1_000_000 }] });
    expect(overCheckout.body.error).toMatchObject({ code: 'DISCOUNT_OVER_LIMIT', details: { field: 'discount' } });
    const overLater = await barista.post(`/api/v1/orders/${within.body.id}/discount`, { discount: { type: 'percentage', rate_bp: 5000 } });
    expect(overLater.body.error?.code).toBe('DISCOUNT_OVER_LIMIT');
    expect(await salesRows(s, t)).toEqual(before);

    const approved = await manager.post('/api/v1/orders', { items: [{ variant_id: p.variantId, discount: { type: 'percentage', rate_bp: 2000 } }] });
    expect(approved.status, JSON.stringify(approved.body)).toBe(201);
    const rows = await query<{ field: string; discount_value: string | number; role_key: string; approved_by: string }>(s, t, sql`SELECT field, discount_value, role_key, approved_by FROM discount_approvals WHERE order_id = ${approved.body.id}`);
    expect(rows.map((r) => [r.field, Number(r.discount_value), r.role_key])).toEqual([['items.0.discount', 2000, 'manager']]);
  });
});
