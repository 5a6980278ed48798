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
