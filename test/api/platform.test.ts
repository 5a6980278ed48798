import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/modules/access/index.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { call, createTenant, startTestServer, type TestServer, type TestTenant } from '../support/server.js';

const ADMIN_KEY = 'test-platform-admin-key-0123456789'; // what startTestServer configures
let s: TestServer;
let a: TestTenant;

beforeAll(async () => {
  s = await startTestServer();
  a = await createTenant(s.app);
});
afterAll(() => s.stop());

const op = (method: string, path: string, body?: unknown, key: string | null = ADMIN_KEY) =>
  call(s.baseUrl, method, path, { headers: key === null ? {} : { 'x-platform-admin-key': key }, body });
const slug = () => `p-${uuidv7().slice(-12)}`;

describe('platform operator endpoints', () => {
  it('refuse a missing, wrong, or tenant credential with 401', async () => {
    const same = (c: string) => c.repeat(ADMIN_KEY.length);
    for (const key of [null, '', 'wrong', `${ADMIN_KEY}x`, ADMIN_KEY.slice(0, -1), same('a'), same('é'), ` ${ADMIN_KEY.slice(1)}`]) {
      const r = await op('GET', '/api/v1/platform/tenants', undefined, key);
      expect(r.status, String(key)).toBe(401);
      expect(r.body.error.code).toBe('UNAUTHENTICATED');
    }
    for (const headers of [a.devHeaders, { 'x-api-key': a.apiKey }]) {
      const r = await call(s.baseUrl, 'GET', '/api/v1/platform/tenants', { headers });
      expect(r.status).toBe(401);
    }
    const write = await op('POST', '/api/v1/platform/tenants', { slug: slug(), name: 'No' }, 'wrong');
    expect(write.status).toBe(401);
  });

  it('also accept the key as a bearer token', async () => {
    const r = await call(s.baseUrl, 'GET', '/api/v1/platform/tenants?page_size=1', { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(r.status).toBe(200);
  });

  it('provision a tenant with roles, outlet, register, owner and API key that work at once', async () => {
    const ownerUser = uuidv7();
    const body = {
      slug: slug(),
      name: 'Warung Sejahtera',
      business_type: 'retail',
      currency: 'IDR',
      time_zone: 'Asia/Makassar',
      owner: { user_id: ownerUser, display_name: 'Bu Sari', email: 'sari@example.com' },
      outlet: { code: 'DPS', name: 'Denpasar' },
      terminal: { code: 'TILL-1', name: 'Till 1' },
      api_key: { name: 'back office' },
    };
    const r = await op('POST', '/api/v1/platform/tenants', body);
    expect(r.status).toBe(201);
    expect(r.body.tenant).toMatchObject({ slug: body.slug, name: body.name, business_type: 'retail', currency: 'IDR', time_zone: 'Asia/Makassar', status: 'active' });
    expect(r.body.outlet).toMatchObject({ code: 'DPS', name: 'Denpasar', time_zone: 'Asia/Makassar' });
    expect(r.body.terminal).toMatchObject({ code: 'TILL-1', outlet_id: r.body.outlet.id });
    expect(r.body.owner).toMatchObject({ user_id: ownerUser, display_name: 'Bu Sari', active: true });
    expect(r.body.api_key.secret).toMatch(/^ksr_/);

    const key = { 'x-api-key': r.body.api_key.secret };
    const me = await call(s.baseUrl, 'GET', '/api/v1/me', { headers: key });
    expect(me.body).toMatchObject({ tenant_id: r.body.tenant.id, actor_kind: 'api_key' });
    expect(me.body.permissions).toEqual([...PERMISSIONS].sort());
    const roles = await call(s.baseUrl, 'GET', '/api/v1/roles', { headers: key });
    expect(roles.body.items.map((x: { key: string }) => x.key).sort()).toEqual(['admin', 'cashier', 'manager', 'owner']);
    const owner = roles.body.items.find((x: { key: string }) => x.key === 'owner');
    expect(r.body.owner.role_id).toBe(owner.id);
    const outlets = await call(s.baseUrl, 'GET', '/api/v1/outlets', { headers: key });
    expect(outlets.body.items.map((o: { id: string }) => o.id)).toEqual([r.body.outlet.id]);
    const staff = await call(s.baseUrl, 'GET', '/api/v1/staff', { headers: key });
    expect(staff.body.items.map((m: { id: string }) => m.id)).toEqual([r.body.owner.id]);

    const got = await op('GET', `/api/v1/platform/tenants/${r.body.tenant.id}`);
    expect(got.body).toEqual(r.body.tenant);
  });

  it('provision with defaults and without owner or API key', async () => {
    const r = await op('POST', '/api/v1/platform/tenants', { slug: slug(), name: 'Bare' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ owner: null, api_key: null, outlet: { code: 'MAIN' }, terminal: { code: 'REG-1' } });
    expect(r.body.tenant).toMatchObject({ currency: 'IDR', time_zone: 'Asia/Jakarta', business_type: 'fnb', pos_mode: 'centralized' });
  });

  it('refuse a duplicate slug with 409 and leave nothing half made', async () => {
    const taken = slug();
    expect((await op('POST', '/api/v1/platform/tenants', { slug: taken, name: 'First' })).status).toBe(201);
    const id = uuidv7();
    const dup = await op('POST', '/api/v1/platform/tenants', { id, slug: taken, name: 'Second', api_key: { name: 'k' } });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('TENANT_SLUG_TAKEN');
    expect((await op('GET', `/api/v1/platform/tenants/${id}`)).status).toBe(404);
    const sameId = await op('POST', '/api/v1/platform/tenants', { id: a.tenantId, slug: slug(), name: 'Clash' });
    expect(sameId.status).toBe(409);
    expect(sameId.body.error.code).toBe('TENANT_ALREADY_EXISTS');
  });

  it('name every invalid field of a provisioning request', async () => {
    const r = await op('POST', '/api/v1/platform/tenants', { slug: 'Not A Slug', name: '', currency: 'XXX', owner: { user_id: 'x' } });
    expect(r.status).toBe(400);
    const fields = r.body.error.details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['slug', 'name', 'currency', 'owner.user_id', 'owner.display_name']));
  });

  it('list tenants by status, and 404 an unknown tenant', async () => {
    const t = await op('POST', '/api/v1/platform/tenants', { slug: slug(), name: 'Listed' });
    await op('POST', `/api/v1/platform/tenants/${t.body.tenant.id}/suspend`, { reason: 'unpaid' });
    const suspended: string[] = [];
    let token = '';
    do {
      const page = await op('GET', `/api/v1/platform/tenants?status=suspended&page_size=100${token ? `&page_token=${token}` : ''}`);
      suspended.push(...page.body.items.map((x: { id: string; status: string }) => (expect(x.status).toBe('suspended'), x.id)));
      token = page.body.next_page_token;
    } while (token);
    expect(suspended).toContain(t.body.tenant.id);
    expect((await op('POST', `/api/v1/platform/tenants/${uuidv7()}/suspend`, {})).status).toBe(404);
    expect((await op('GET', `/api/v1/platform/tenants/${uuidv7()}`)).status).toBe(404);
  });
});
