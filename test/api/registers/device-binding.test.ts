import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src/platform/ids.js';
import { call } from '../../support/server.js';
import { as, createTenant, pricedProduct, query, salesRows, startSalesServer, type Client, type TestServer, type TestTenant } from '../sales/support.js';
import { openSession, staffMember } from './support.js';

let s: TestServer;
let t: TestTenant;
let owner: Client;
let latte: { productId: string; variantId: string };
let otherOutlet: string;

beforeAll(async () => {
  s = await startSalesServer();
  t = await createTenant(s.app);
  owner = as(s, t);
  latte = await pricedProduct(owner, 30_000);
  otherOutlet = (await owner.post('/api/v1/outlets', { code: 'KMG', name: 'Kemang' })).body.id;
});
afterAll(() => s.stop());

async function terminal(outletId = t.outletId): Promise<string> {
  const id = uuidv7();
  await query(s, t, sql`INSERT INTO terminals (tenant_id, id, outlet_id, code, name) VALUES (${t.tenantId}, ${id}, ${outletId}, ${'T-' + id.slice(-8)}, 'Till')`);
  return id;
}

/** Pairs a device to `terminalId` the way a register does, and returns a client using its credential. */
async function pairedDevice(terminalId: string): Promise<{ id: string; key: string; api: Client }> {
  const code = await owner.post('/api/v1/devices/pairing-codes', { terminal_id: terminalId });
  const paired = await call(s.baseUrl, 'POST', '/api/v1/devices/pair', { body: { code: code.body.code, name: 'Till iPad' } });
  expect(paired.status).toBe(201);
  return { id: paired.body.device.id, key: paired.body.api_key, api: as(s, t, { 'x-api-key': paired.body.api_key }) };
}

describe('a paired device acts as its terminal', () => {
  it('sells on its own terminal and outlet by default, and is refused naming another terminal or outlet (nothing written)', async () => {
    const mine = await terminal();
    const other = await terminal();
    const device = await pairedDevice(mine);

    const order = await device.api.post('/api/v1/orders', { items: [{ variant_id: latte.variantId }] });
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({ terminal_id: mine, outlet_id: t.outletId });
    const sale = await device.api.post('/api/v1/checkout', { items: [{ variant_id: latte.variantId }], tenders: [{ tender_type: 'CASH', amount: 50_000 }] });
    expect(sale.status).toBe(201);
    expect(sale.body).toMatchObject({ terminal_id: mine, outlet_id: t.outletId, status: 'COMPLETED' });
    // Naming its own terminal is fine.
    expect((await device.api.post('/api/v1/orders', { terminal_id: mine })).status).toBe(201);

    const before = await salesRows(s, t);
    const elsewhere = await device.api.post('/api/v1/checkout', { terminal_id: other, items: [{ variant_id: latte.variantId }], tenders: [{ tender_type: 'CASH', amount: 50_000 }] });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error).toMatchObject({ code: 'DEVICE_BOUND_TO_TERMINAL', details: { field: 'terminal_id', terminal_id: mine } });
    const otherShop = await device.api.post('/api/v1/orders', { outlet_id: otherOutlet, items: [{ variant_id: latte.variantId }] });
    expect(otherShop.status).toBe(403);
    expect(otherShop.body.error).toMatchObject({ code: 'DEVICE_BOUND_TO_TERMINAL', details: { field: 'outlet_id', outlet_id: t.outletId } });
    expect(await salesRows(s, t)).toEqual(before);

    // A person's credential is not bound: the owner still sells on any terminal.
    const anywhere = await owner.post('/api/v1/orders', { terminal_id: other, items: [{ variant_id: latte.variantId }] });
    expect(anywhere.status).toBe(201);
    expect(anywhere.body.terminal_id).toBe(other);
    // ... but the device cannot take that order's money into the other terminal's drawer.
    expect((await owner.post(`/api/v1/orders/${anywhere.body.id}/finalize`, {})).status).toBe(200);
    const beforePay = await salesRows(s, t);
    const pay = await device.api.post(`/api/v1/orders/${anywhere.body.id}/payments`, { tender_type: 'CASH', amount: 50_000, idempotency_key: 'dev-pay-1' });
    expect(pay.status).toBe(403);
    expect(pay.body.error).toMatchObject({ code: 'DEVICE_BOUND_TO_TERMINAL', details: { given: other } });
    expect(await salesRows(s, t)).toEqual(beforePay);
  });

  it('opens, moves and reads only its own terminal’s drawer', async () => {
    const mine = await terminal();
    const other = await terminal();
    const device = await pairedDevice(mine);

    const opened = await device.api.post('/api/v1/cash-sessions', { opening_float: 100_000 });
    expect(opened.status).toBe(201);
    expect(opened.body.terminal_id).toBe(mine);
    const sale = await device.api.post('/api/v1/checkout', { items: [{ variant_id: latte.variantId }], tenders: [{ tender_type: 'CASH', amount: 50_000 }] });
    expect(sale.status).toBe(201);
    expect((await device.api.get(`/api/v1/cash-sessions/${opened.body.id}`)).body.expected_cash).toBe(100_000 + sale.body.total);

    const openElsewhere = await device.api.post('/api/v1/cash-sessions', { terminal_id: other, opening_float: 100 });
    expect(openElsewhere.status).toBe(403);
    expect(openElsewhere.body.error).toMatchObject({ code: 'DEVICE_BOUND_TO_TERMINAL', details: { field: 'terminal_id' } });
    expect((await owner.get(`/api/v1/terminals/${other}/cash-session`)).status).toBe(404);

    // Someone else's drawer on the other terminal: the device can neither see nor touch it.
    const theirs = await openSession(owner, other, 200_000);
    const before = await query<{ n: string }>(s, t, sql`SELECT count(*) AS n FROM cash_session_entries WHERE session_id = ${theirs.id}`);
    for (const r of [
      await device.api.get(`/api/v1/cash-sessions/${theirs.id}`),
      await device.api.get(`/api/v1/terminals/${other}/cash-session`),
      await device.api.post(`/api/v1/cash-sessions/${theirs.id}/movements`, { kind: 'PAY_IN', amount: 1_000, reason: 'float top-up' }),
      await device.api.post(`/api/v1/cash-sessions/${theirs.id}/close`, { counted_cash: 200_000 }),
      await device.api.get(`/api/v1/cash-sessions?terminal_id=${other}`),
    ]) {
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('DEVICE_BOUND_TO_TERMINAL');
    }
    expect(await query<{ n: string }>(s, t, sql`SELECT count(*) AS n FROM cash_session_entries WHERE session_id = ${theirs.id}`)).toEqual(before);
    expect((await owner.get(`/api/v1/cash-sessions/${theirs.id}`)).body.status).toBe('OPEN');
    // Its own list shows its own terminal only.
    const listed = await device.api.get('/api/v1/cash-sessions');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((x: { terminal_id: string }) => x.terminal_id)).toEqual([mine]);

    // A person without a device must still name the terminal.
    const unnamed = await owner.post('/api/v1/cash-sessions', { opening_float: 100 });
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.error.details.fields[0].field).toBe('terminal_id');
  });

  it('keeps its terminal when a cashier switches in by PIN on it', async () => {
    const mine = await terminal();
    const other = await terminal();
    const device = await pairedDevice(mine);
    const c = await staffMember(s, t, owner, 'cashier', 'Sari');
    expect((await owner.put(`/api/v1/staff/${c.id}/pin`, { pin: '4826' })).status).toBe(200);
    const sw = await device.api.post('/api/v1/staff/switch', { staff_member_id: c.id, pin: '4826' });
    expect(sw.status).toBe(201);
    const sari = as(s, t, { 'x-api-key': device.key, 'x-staff-session': sw.body.staff_session_token });
    const order = await sari.post('/api/v1/orders', {});
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({ terminal_id: mine, cashier_membership_id: c.id });
    const elsewhere = await sari.post('/api/v1/orders', { terminal_id: other });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error.code).toBe('DEVICE_BOUND_TO_TERMINAL');
  });

  it('follows its terminal to another outlet at once', async () => {
    const mine = await terminal();
    const device = await pairedDevice(mine);
    expect((await device.api.post('/api/v1/orders', {})).body.outlet_id).toBe(t.outletId);
    expect((await owner.patch(`/api/v1/terminals/${mine}`, { outlet_id: otherOutlet })).status).toBe(200);
    const moved = await device.api.post('/api/v1/orders', {});
    expect(moved.status).toBe(201);
    expect(moved.body).toMatchObject({ terminal_id: mine, outlet_id: otherOutlet });
    expect((await device.api.post('/api/v1/orders', { outlet_id: t.outletId })).body.error.details).toMatchObject({ field: 'outlet_id', outlet_id: otherOutlet });
  });

  it('is refused at once when revoked', async () => {
    const device = await pairedDevice(await terminal());
    expect((await device.api.post('/api/v1/orders', {})).status).toBe(201);
    expect((await owner.post(`/api/v1/devices/${device.id}/revoke`, {})).status).toBe(200);
    const after = await device.api.post('/api/v1/orders', {});
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('INVALID_API_KEY');
  });
});
