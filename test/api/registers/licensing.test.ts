import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../support/server.js';
import { as, createTenant, query, startSalesServer, type TestServer, type TestTenant } from '../sales/support.js';

const ADMIN_KEY = 'test-platform-admin-key-0123456789'; // what startTestServer configures
let s: TestServer;

beforeAll(async () => {
  s = await startSalesServer();
});
afterAll(() => s.stop());

const setPlan = (tenantId: string, body: unknown) => call(s.baseUrl, 'PUT', `/api/v1/platform/tenants/${tenantId}/license`, { headers: { 'x-platform-admin-key': ADMIN_KEY }, body });
const activeOutlets = async (t: TestTenant) => Number((await query<{ n: string }>(s, t, sql`SELECT count(*) AS n FROM outlets WHERE active`))[0]!.n);

describe('licence limits', () => {
  it('counts reactivating an outlet through PATCH like creating one', async () => {
    const t = await createTenant(s.app);
    const api = as(s, t);
    const spare = await api.post('/api/v1/outlets', { code: 'SPARE', name: 'Spare', active: false });
    expect(spare.status).toBe(201);
    expect((await setPlan(t.tenantId, { plan: 'solo', max_outlets: 1 })).status).toBe(200);
    const reactivate = await api.patch(`/api/v1/outlets/${spare.body.id}`, { active: true, name: 'Spare reopened' });
    expect(reactivate.status).toBe(409);
    expect(reactivate.body.error).toMatchObject({ code: 'LICENSE_LIMIT_REACHED', details: { resource: 'outlets', limit: 1 } });
    expect(await activeOutlets(t)).toBe(1);
    expect((await api.get(`/api/v1/outlets/${spare.body.id}`)).body).toMatchObject({ active: false, name: 'Spare' });
    // Other changes to an inactive outlet, and to an active one, are not limited.
    expect((await api.patch(`/api/v1/outlets/${spare.body.id}`, { name: 'Spare 2' })).status).toBe(200);
    expect((await api.patch(`/api/v1/outlets/${t.outletId}`, { active: true, name: 'Main' })).status).toBe(200);
    // With a place free, it reactivates.
    expect((await api.patch(`/api/v1/outlets/${t.outletId}`, { active: false })).status).toBe(200);
    expect((await api.patch(`/api/v1/outlets/${spare.body.id}`, { active: true })).body.active).toBe(true);
  });
});

describe('licence features', () => {
  it('a plan set without features grants them all; the platform operator may name only known features', async () => {
    const t = await createTenant(s.app);
    const plan = await setPlan(t.tenantId, { plan: 'pro' });
    expect(plan.body.features.sort()).toEqual(['cash_sessions', 'commissions', 'devices', 'multi_outlet']);
    const typo = await setPlan(t.tenantId, { plan: 'pro', features: ['devices', 'kitchen_dispaly'] });
    expect(typo.status).toBe(400);
    expect(typo.body.error.details.fields[0].field).toBe('features.1');
  });

  it('refuses each module the plan does not include at its entry point, naming the feature; nothing is written', async () => {
    const t = await createTenant(s.app);
    const api = as(s, t);
    expect((await setPlan(t.tenantId, { plan: 'basic', features: [] })).body.features).toEqual([]);
    const rows = async () => (await query<Record<string, string>>(s, t, sql`
      SELECT (SELECT count(*) FROM outlets) AS outlets, (SELECT count(*) FROM device_pairing_codes) AS codes,
             (SELECT count(*) FROM cash_sessions) AS sessions, (SELECT count(*) FROM commission_rules) AS rules`))[0];
    const before = await rows();
    const refusals = {
      multi_outlet: await api.post('/api/v1/outlets', { code: 'TWO', name: 'Second' }),
      devices: await api.post('/api/v1/devices/pairing-codes', { terminal_id: t.terminalId }),
      cash_sessions: await api.post('/api/v1/cash-sessions', { terminal_id: t.terminalId, opening_float: 10_000 }),
      commissions: await api.post('/api/v1/commission-rules', { name: 'Baristas', kind: 'percentage', rate_bps: 500 }),
    };
    for (const [feature, r] of Object.entries(refusals)) {
      expect(r.status, feature).toBe(403);
      expect(r.body.error, feature).toMatchObject({ code: 'LICENSE_FEATURE_UNAVAILABLE', details: { feature, plan: 'basic' } });
    }
    expect(await rows()).toEqual(before);

    // Granting them lets each through.
    await setPlan(t.tenantId, { plan: 'basic', features: ['multi_outlet', 'devices', 'cash_sessions', 'commissions'] });
    expect((await api.post('/api/v1/outlets', { code: 'TWO', name: 'Second' })).status).toBe(201);
    expect((await api.post('/api/v1/devices/pairing-codes', { terminal_id: t.terminalId })).status).toBe(201);
    expect((await api.post('/api/v1/cash-sessions', { terminal_id: t.terminalId, opening_float: 10_000 })).status).toBe(201);
    expect((await api.post('/api/v1/commission-rules', { name: 'Baristas', kind: 'percentage', rate_bps: 500 })).status).toBe(201);
  });

  it('refuses pairing with a code issued before the plan lost the devices feature', async () => {
    const t = await createTenant(s.app);
    const api = as(s, t);
    const code = await api.post('/api/v1/devices/pairing-codes', { terminal_id: t.terminalId });
    expect(code.status).toBe(201);
    await setPlan(t.tenantId, { plan: 'lite', features: ['cash_sessions'] });
    const paired = await call(s.baseUrl, 'POST', '/api/v1/devices/pair', { body: { code: code.body.code, name: 'iPad' } });
    expect(paired.status).toBe(403);
    expect(paired.body.error).toMatchObject({ code: 'LICENSE_FEATURE_UNAVAILABLE', details: { feature: 'devices' } });
    expect(Number((await query<{ n: string }>(s, t, sql`SELECT count(*) AS n FROM devices`))[0]!.n)).toBe(0);
  });
});
