import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/server.js';
import { as, createTenant, query, startSalesServer, type Client, type TestServer, type TestTenant } from '../sales/support.js';

const ADMIN_KEY = 'test-platform-admin-key-0123456789'; // what startTestServer configures
let s: TestServer;
let t: TestTenant;
let owner: Client;

beforeAll(async () => {
  s = await startSalesServer();
  t = await createTenant(s.app);
  owner = as(s, t);
});
afterAll(() => s.stop());

const setPlan = (tenantId: string, body: unknown) => call(s.baseUrl, 'PUT', `/api/v1/platform/tenants/${tenantId}/license`, { headers: { 'x-platform-admin-key': ADMIN_KEY }, body });
const rows = async (tenant: TestTenant, table: string) => Number((await query<{ n: string }>(s, tenant, sql`SELECT count(*) AS n FROM ${sql.identifier(table)}`))[0]!.n);

describe('terminals', () => {
  it('are created, listed, updated and deactivated as seed 004 lists; codes are unique per tenant', async () => {
    const c = await owner.post('/api/v1/terminals', { outlet_id: t.outletId, code: 'POS-002', name: 'Checkout B' });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ outlet_id: t.outletId, code: 'POS-002', name: 'Checkout B', active: true });
    expect((await owner.post('/api/v1/terminals', { outlet_id: t.outletId, code: 'POS-002', name: 'Twin' })).body.error.code).toBe('TERMINAL_CODE_TAKEN');
    expect((await owner.post('/api/v1/terminals', { outlet_id: '01900000-0000-7000-8000-000000000000', code: 'POS-X', name: 'Nowhere' })).body.error.details.fields[0].field).toBe('outlet_id');
    const list = await owner.get(`/api/v1/terminals?outlet_id=${t.outletId}`);
    expect(list.body.items.map((x: { code: string }) => x.code)).toContain('POS-002');
    expect((await owner.patch(`/api/v1/terminals/${c.body.id}`, { name: 'Checkout B2' })).body.name).toBe('Checkout B2');
    await owner.post('/api/v1/cash-sessions', { terminal_id: c.body.id, opening_float: 0 });
    const busy = await owner.delete(`/api/v1/terminals/${c.body.id}`);
    expect(busy.body.error.code).toBe('TERMINAL_HAS_OPEN_SESSION');
    const session = (await owner.get(`/api/v1/terminals/${c.body.id}/cash-session`)).body;
    await owner.post(`/api/v1/cash-sessions/${session.id}/close`, { counted_cash: 0 });
    expect((await owner.delete(`/api/v1/terminals/${c.body.id}`)).body.active).toBe(false);
    expect((await owner.post('/api/v1/cash-sessions', { terminal_id: c.body.id, opening_float: 0 })).body.error.code).toBe('TERMINAL_INACTIVE');
  });
});

describe('licensing', () => {
  it('refuses a terminal, an outlet or a device past the plan the platform operator set, and nothing is written', async () => {
    const t2 = await createTenant(s.app);
    const api = as(s, t2);
    expect((await call(s.baseUrl, 'PUT', `/api/v1/platform/tenants/${t2.tenantId}/license`, { headers: t2.devHeaders, body: { plan: 'x' } })).status).toBe(401);
    const plan = await setPlan(t2.tenantId, { plan: 'starter', max_outlets: 1, max_terminals: 2, max_devices: 1, features: ['cash_sessions', 'devices'] });
    expect(plan.body).toMatchObject({ plan: 'starter', max_outlets: 1, max_terminals: 2, max_devices: 1, features: ['cash_sessions', 'devices'] });
    expect((await api.post('/api/v1/terminals', { outlet_id: t2.outletId, code: 'T2', name: 'Second' })).status).toBe(201);
    const before = await rows(t2, 'terminals');
    const third = await api.post('/api/v1/terminals', { outlet_id: t2.outletId, code: 'T3', name: 'Third' });
    expect(third.status).toBe(409);
    expect(third.body.error).toMatchObject({ code: 'LICENSE_LIMIT_REACHED', details: { resource: 'terminals', limit: 2, plan: 'starter' } });
    expect(await rows(t2, 'terminals')).toBe(before);
    // An inactive one does not count, and reactivating it does.
    const spare = await api.post('/api/v1/terminals', { outlet_id: t2.outletId, code: 'T4', name: 'Spare', active: false });
    expect(spare.status).toBe(201);
    expect((await api.patch(`/api/v1/terminals/${spare.body.id}`, { active: true })).body.error.code).toBe('LICENSE_LIMIT_REACHED');
    const outlet = await api.post('/api/v1/outlets', { code: 'SECOND', name: 'Second outlet' });
    expect(outlet.body.error).toMatchObject({ code: 'LICENSE_LIMIT_REACHED', details: { resource: 'outlets', limit: 1 } });

    const code1 = await api.post('/api/v1/devices/pairing-codes', { terminal_id: t2.terminalId });
    const code2 = await api.post('/api/v1/devices/pairing-codes', { terminal_id: t2.terminalId });
    expect((await call(s.baseUrl, 'POST', '/api/v1/devices/pair', { body: { code: code1.body.code, name: 'iPad 1' } })).status).toBe(201);
    const keys = await rows(t2, 'api_keys');
    const over = await call(s.baseUrl, 'POST', '/api/v1/devices/pair', { body: { code: code2.body.code, name: 'iPad 2' } });
    expect(over.body.error).toMatchObject({ code: 'LICENSE_LIMIT_REACHED', details: { resource: 'devices' } });
    expect(await rows(t2, 'api_keys')).toBe(keys);
    expect((await call(s.baseUrl, 'GET', `/api/v1/platform/tenants/${t2.tenantId}/license`, { headers: { 'x-platform-admin-key': ADMIN_KEY } })).body.plan).toBe('starter');
  });
});

describe('devices', () => {
  it('pair with a one-time code into a credential bound to the terminal, are seen, and are refused at once when revoked', async () => {
    const code = await owner.post('/api/v1/devices/pairing-codes', { terminal_id: t.terminalId });
    expect(code.status).toBe(201);
    expect(code.body.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const paired = await call(s.baseUrl, 'POST', '/api/v1/devices/pair', { body: { code: code.body.code.toLowerCase(), name: 'Front iPad', platform: 'ipados' } });
    expect(paired.status).toBe(201);
    expect(paired.body.device).toMatchObject({ terminal_id: t.terminalId, name: 'Front iPad', status: 'ACTIVE', last_seen_at: null });
    expect(paired.body.tenant_id).toBe(t.tenantId);
    const device = as(s, t, { 'x-api-key': paired.body.api_key });
    expect((await device.get('/api/v1/me')).status).toBe(200);
    // It may sell (cashier permissions) but not manage the shop.
    expect((await device.put('/api/v1/register-settings', { auto_close: false })).status).toBe(403);
    const again = await call(s.baseUrl, 'POST', '/api/v1/devices/pair', { body: { code: code.body.code, name: 'Thief' } });
    expect(again.body.error.code).toBe('PAIRING_CODE_USED');
    const seen = await owner.get(`/api/v1/devices/${paired.body.device.id}`);
    expect(seen.body.last_seen_at).not.toBeNull();
    const events = await query<{ type: string }>(s, t, sql`SELECT type FROM outbox_events WHERE aggregate_id = ${paired.body.device.id}`);
    expect(events.map((e) => e.type)).toEqual(['device.paired']);
    const revoked = await owner.post(`/api/v1/devices/${paired.body.device.id}/revoke`, {});
    expect(revoked.body).toMatchObject({ status: 'REVOKED' });
    expect((await device.get('/api/v1/me')).status).toBe(401);
    expect((await owner.post(`/api/v1/devices/${paired.body.device.id}/revoke`, {})).body.error.code).toBe('DEVICE_ALREADY_REVOKED');
    expect((await owner.get('/api/v1/devices')).body.items.map((d: { id: string }) => d.id)).toContain(paired.body.device.id);
  });

  it('refuses an expired or unknown code, and writes nothing', async () => {
    const code = await owner.post('/api/v1/devices/pairing-codes', { terminal_id: t.terminalId });
    await query(s, t, sql`UPDATE device_pairing_codes SET expires_at = now() - interval '1 second' WHERE used_at IS NULL`);
    const devices = await rows(t, 'devices');
    const expired = await call(s.baseUrl, 'POST', '/api/v1/devices/pair', { body: { code: code.body.code, name: 'Late' } });
    expect(expired.status).toBe(409);
    expect(expired.body.error.code).toBe('PAIRING_CODE_EXPIRED');
    const unknown = await call(s.baseUrl, 'POST', '/api/v1/devices/pair', { body: { code: 'ZZZZ-ZZZZ', name: 'Guess' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('PAIRING_CODE_INVALID');
    expect((await call(s.baseUrl, 'POST', '/api/v1/devices/pair', { body: { code: '12', name: 'x' } })).body.error.details.fields[0].field).toBe('code');
    expect(await rows(t, 'devices')).toBe(devices);
  });
});
