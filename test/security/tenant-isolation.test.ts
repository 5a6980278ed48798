import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttpServer } from '../../src/adapters/http/server.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { call, createTenant, startTestServer, type TestServer, type TestTenant } from '../support/server.js';

/**
 * Tenant isolation, generated from the route table rather than listed by hand: every route a module adds is
 * tried here the moment it is registered. For each tenant route with an `:id`, tenant A creates the
 * resource (POST on the collection, with a sample body from SAMPLES) and tenant B calls every method on the
 * item with A's id: each must be 404 (or 403), and A's resource must read the same afterwards.
 */

type Fixture = { tenant: TestTenant; roleId: (key: string) => Promise<string> };
const n = () => uuidv7().slice(-8);

/** A minimal valid creation body per collection. A new creatable collection without one fails the test below. */
const SAMPLES: Record<string, (f: Fixture) => Promise<unknown> | unknown> = {
  '/api/v1/outlets': () => ({ code: `ISO-${n()}`, name: 'Isolation outlet' }),
  '/api/v1/roles': () => ({ key: `iso_${n()}`, name: 'Isolation role', level: 5, permissions: ['pos:sale:read'] }),
  '/api/v1/staff': async (f) => ({ user_id: uuidv7(), role_id: await f.roleId('cashier'), display_name: 'Isolation staff' }),
  '/api/v1/api-keys': () => ({ name: 'Isolation key', permissions: ['pos:settings:read'] }),
};

/** What tenant B sends to A's item: a real change where the route takes a body (`{}` otherwise). */
const ATTACKS: Record<string, unknown> = {
  'PATCH /api/v1/outlets/:id': { name: 'Hijacked', active: false },
  'PATCH /api/v1/roles/:id': { name: 'Hijacked', permissions: ['pos:apikey:manage'] },
  'PATCH /api/v1/staff/:id': { display_name: 'Hijacked', active: false },
};

const s: TestServer = await startTestServer();
const { server: probe, kit } = await buildHttpServer(s.app, async () => ({ ready: true, checks: {} }));
const routes = [...kit.routes];
await probe.close();

const tenantRoutes = routes.filter((r) => r.auth === 'tenant');
const itemRoutes = tenantRoutes.filter((r) => r.url.includes('/:id'));
const collectionOf = (url: string) => url.slice(0, url.indexOf('/:id'));
const collections = [...new Set(itemRoutes.map((r) => collectionOf(r.url)))];
const creatable = collections.filter((c) => tenantRoutes.some((r) => r.method === 'POST' && r.url === c));
const fillParams = (url: string, id: string) => url.replace(/:id\b/, id).replace(/:[a-z_]+/gi, () => uuidv7());

let a: TestTenant;
let b: TestTenant;
const fixture = (tenant: TestTenant): Fixture => ({
  tenant,
  roleId: async (key) => {
    const roles = await call(s.baseUrl, 'GET', '/api/v1/roles?page_size=100', { headers: tenant.devHeaders });
    return roles.body.items.find((r: { key: string }) => r.key === key).id;
  },
});

beforeAll(async () => {
  a = await createTenant(s.app);
  b = await createTenant(s.app);
});
afterAll(() => s.stop());

describe('the route table', () => {
  it('has tenant routes with ids to check', () => {
    expect(itemRoutes.length).toBeGreaterThan(0);
    expect(creatable.length).toBeGreaterThan(0);
  });

  it('has a sample body for every collection a tenant can create into, and none for collections that are gone', () => {
    expect(creatable.filter((c) => !(c in SAMPLES)), 'add a sample creation body to SAMPLES in this file').toEqual([]);
    expect(Object.keys(SAMPLES).filter((c) => !creatable.includes(c)), 'remove stale SAMPLES entries').toEqual([]);
    expect(Object.keys(ATTACKS).filter((k) => !itemRoutes.some((r) => `${r.method} ${r.url}` === k)), 'remove stale ATTACKS entries').toEqual([]);
  });
});

describe.each(creatable)('tenant B against tenant A’s %s', (collection) => {
  it('cannot read, change or act on A’s item, and A’s item is unchanged', async () => {
    const created = await call(s.baseUrl, 'POST', collection, { headers: a.devHeaders, body: await SAMPLES[collection]!(fixture(a)) });
    expect(created.status, `creating in ${collection}: ${JSON.stringify(created.body)}`).toBe(201);
    const id: string = created.body.id;
    const getRoute = itemRoutes.find((r) => r.method === 'GET' && r.url === `${collection}/:id`);
    expect(getRoute, `${collection} needs GET ${collection}/:id so this test can compare before and after`).toBeDefined();
    const read = () => call(s.baseUrl, 'GET', `${collection}/${id}`, { headers: a.devHeaders });
    const before = await read();
    expect(before.status).toBe(200);

    for (const r of itemRoutes.filter((x) => collectionOf(x.url) === collection)) {
      const name = `${r.method} ${r.url}`;
      const body = r.method === 'GET' || r.method === 'DELETE' ? undefined : (ATTACKS[name] ?? {});
      const res = await call(s.baseUrl, r.method, fillParams(r.url, id), { headers: b.devHeaders, body });
      expect([404, 403], `${name} as tenant B → ${res.status} ${JSON.stringify(res.body)} (a 400 means: add a body to ATTACKS)`).toContain(res.status);
    }

    const list = tenantRoutes.find((r) => r.method === 'GET' && r.url === collection);
    if (list) {
      const theirs = await call(s.baseUrl, 'GET', `${collection}?page_size=100`, { headers: b.devHeaders });
      expect(theirs.status).toBe(200);
      expect(theirs.body.items.map((x: { id: string }) => x.id)).not.toContain(id);
    }
    const after = await read();
    expect(after.body).toEqual(before.body);
  });
});

describe.each(collections.filter((c) => !creatable.includes(c)))('%s (no creator route)', (collection) => {
  it('answers 404 for ids that are not the caller’s', async () => {
    for (const r of itemRoutes.filter((x) => collectionOf(x.url) === collection)) {
      const res = await call(s.baseUrl, r.method, fillParams(r.url, uuidv7()), { headers: b.devHeaders, body: r.method === 'GET' ? undefined : (ATTACKS[`${r.method} ${r.url}`] ?? {}) });
      expect([404, 403], `${r.method} ${r.url}`).toContain(res.status);
    }
  });
});

describe('without credentials', () => {
  it.each(tenantRoutes.map((r) => [`${r.method} ${r.url}`, r] as const))('%s → 401 before anything else is looked at', async (_, r) => {
    const path = fillParams(r.url, uuidv7());
    const body = r.method === 'GET' ? undefined : { unexpected: 'field', id: 42 };
    const attempts: Record<string, string>[] = [{}, { 'idempotency-key': 'x'.repeat(300) }, { 'x-api-key': '' }, { authorization: '' }];
    for (const headers of attempts) {
      const res = await call(s.baseUrl, r.method, path, { headers, body });
      expect(res.status, `${JSON.stringify(headers).slice(0, 40)} → ${JSON.stringify(res.body)}`).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
  });

  it.each(routes.filter((r) => r.auth === 'platform').map((r) => [`${r.method} ${r.url}`, r] as const))('%s (platform) → 401', async (_, r) => {
    const res = await call(s.baseUrl, r.method, fillParams(r.url, uuidv7()), { body: r.method === 'GET' ? undefined : { slug: 'Bad Slug' } });
    expect(res.status, JSON.stringify(res.body)).toBe(401);
  });
});
