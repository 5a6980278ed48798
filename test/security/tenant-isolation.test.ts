import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttpServer } from '../../src/adapters/http/server.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { makeImage, uploadForm } from '../support/images.js';
import { call, createTenant, startTestServer, type TestServer, type TestTenant } from '../support/server.js';

/**
 * Tenant isolation, generated from the route table rather than listed by hand: every route a module adds is
 * tried here the moment it is registered. For each tenant route with an `:id`, tenant A creates the
 * resource (POST on the collection, with a sample body from SAMPLES) and tenant B calls every method on the
 * item with A's id: each must be 404 (or 403), and A's resource must read the same afterwards.
 */

type Fixture = { tenant: TestTenant; roleId: (key: string) => Promise<string> };
const n = () => uuidv7().slice(-8);

/** Creates an item some other way than a JSON POST (e.g. a multipart upload); returns the response. */
type Creator = { create: (f: Fixture) => Promise<{ status: number; body: any }> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON responses

/** A minimal valid creation body per collection. A new creatable collection without one fails the test below. */
const SAMPLES: Record<string, (f: Fixture) => Promise<unknown> | unknown> = {
  '/api/v1/outlets': () => ({ code: `ISO-${n()}`, name: 'Isolation outlet' }),
  '/api/v1/roles': () => ({ key: `iso_${n()}`, name: 'Isolation role', level: 5, permissions: ['pos:sale:read'] }),
  '/api/v1/staff': async (f) => ({ user_id: uuidv7(), role_id: await f.roleId('cashier'), display_name: 'Isolation staff' }),
  '/api/v1/api-keys': () => ({ name: 'Isolation key', permissions: ['pos:settings:read'] }),
  '/api/v1/categories': () => ({ name: `Isolation ${n()}` }),
  '/api/v1/products': () => ({ name: `Isolation ${n()}`, sku: `ISO-${n()}` }),
  '/api/v1/price-books': () => ({ name: `Isolation ${n()}`, priority: 1 }),
  '/api/v1/modifier-groups': () => ({ name: `Isolation ${n()}`, modifiers: [{ name: 'Extra', price_delta: 500 }] }),
  '/api/v1/tax-categories': () => ({ code: `ISO-${n()}`, name: 'Isolation tax category' }),
  '/api/v1/tax-rules': () => ({ name: 'Isolation tax', rate_bps: 1100 }),
  '/api/v1/orders': () => ({ notes: 'Isolation order' }),
  '/api/v1/service-charges': () => ({ name: 'Isolation service', kind: 'percentage', rate_bps: 500 }),
  '/api/v1/inventory/locations': () => ({ name: `Isolation store room ${n()}` }),
  '/api/v1/suppliers': () => ({ name: `Isolation supplier ${n()}` }),
  '/api/v1/purchase-orders': async (f) => {
    const supplier = await call(s.baseUrl, 'POST', '/api/v1/suppliers', { headers: f.tenant.devHeaders, body: { name: `PO supplier ${n()}` } });
    const product = await call(s.baseUrl, 'POST', '/api/v1/products', { headers: f.tenant.devHeaders, body: { name: `Purchased ${n()}` } });
    return { supplier_id: supplier.body.id, location_id: f.tenant.outletId, lines: [{ variant_id: product.body.variants[0].id, quantity: 2, unit_cost: 1000 }] };
  },
  '/api/v1/transfers': async (f) => {
    const to = await call(s.baseUrl, 'POST', '/api/v1/inventory/locations', { headers: f.tenant.devHeaders, body: { name: `Transfer target ${n()}` } });
    const product = await call(s.baseUrl, 'POST', '/api/v1/products', { headers: f.tenant.devHeaders, body: { name: `Moved ${n()}` } });
    return { from_location_id: f.tenant.outletId, to_location_id: to.body.id, lines: [{ variant_id: product.body.variants[0].id, quantity: 1 }] };
  },
  '/api/v1/stock-counts': (f) => ({ location_id: f.tenant.outletId }),
  '/api/v1/terminals': (f) => ({ outlet_id: f.tenant.outletId, code: `ISO-${n()}`, name: 'Isolation till' }),
  '/api/v1/commission-rules': () => ({ name: `Isolation ${n()}`, kind: 'percentage', rate_bps: 100 }),
  '/api/v1/shifts': (f) => ({ outlet_id: f.tenant.outletId }),
  '/api/v1/cash-sessions': (f) => ({ terminal_id: f.tenant.terminalId, opening_float: 100_000 }),
  '/api/v1/customers': () => ({ name: 'Isolation customer', email: `iso-${n()}@example.com` }),
  '/api/v1/customer-groups': () => ({ name: `Isolation ${n()}` }),
  '/api/v1/promotions': () => ({ name: `Isolation ${n()}`, kind: 'percentage', rate_bp: 1000 }),
  '/api/v1/coupons': (): Creator => ({
    create: async (f) => {
      const promo = await call(s.baseUrl, 'POST', '/api/v1/promotions', { headers: f.tenant.devHeaders, body: { name: `Coupon ${n()}`, kind: 'percentage', rate_bp: 500, coupon_only: true } });
      return call(s.baseUrl, 'POST', '/api/v1/coupons', { headers: f.tenant.devHeaders, body: { promotion_id: promo.body.id, code: `ISO${n()}`, max_redemptions: 3 } });
    },
  }),
  '/api/v1/images': (): Creator => ({
    create: async (f) => {
      const product = await call(s.baseUrl, 'POST', '/api/v1/products', { headers: f.tenant.devHeaders, body: { name: `Pictured ${n()}` } });
      return uploadForm(`${s.baseUrl}/api/v1/products/${product.body.id}/images`, f.tenant.devHeaders, { data: await makeImage('png', 8, 8), filename: 'p.png', type: 'image/png' });
    },
  }),
};

/** An attack that is not a JSON body (e.g. a multipart upload) sends itself. */
type Sender = { send: (path: string, headers: Record<string, string>) => Promise<{ status: number; body: any }> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON responses
const uploadTo: Sender = { send: async (path, headers) => uploadForm(`${s.baseUrl}${path}`, headers, { data: await makeImage('png', 8, 8), filename: 'x.png', type: 'image/png' }) };

/** What tenant B sends to A's item: a real change where the route takes a body (`{}` otherwise). */
const ATTACKS: Record<string, unknown> = {
  'POST /api/v1/products/:id/images': uploadTo,
  'POST /api/v1/variants/:id/images': uploadTo,
  'POST /api/v1/categories/:id/images': uploadTo,
  'PATCH /api/v1/outlets/:id': { name: 'Hijacked', active: false },
  'PATCH /api/v1/roles/:id': { name: 'Hijacked', permissions: ['pos:apikey:manage'] },
  'PATCH /api/v1/staff/:id': { display_name: 'Hijacked', active: false },
  'PATCH /api/v1/categories/:id': { name: 'Hijacked' },
  'PATCH /api/v1/products/:id': { name: 'Hijacked', active: false },
  'POST /api/v1/products/:id/availability': { outlet_id: uuidv7(), available: false },
  'POST /api/v1/products/:id/variants': { name: 'Hijacked' },
  'PUT /api/v1/products/:id/modifier-groups': { modifier_group_ids: [] },
  'POST /api/v1/products/:id/modifier-groups': { modifier_group_id: uuidv7() },
  'PATCH /api/v1/variants/:id': { name: 'Hijacked' },
  'PUT /api/v1/variants/:id/price': { amount: 100, currency: 'IDR' },
  'PATCH /api/v1/price-books/:id': { name: 'Hijacked' },
  'PATCH /api/v1/price-books/:id/prices': { remove: [uuidv7()] },
  'PATCH /api/v1/modifier-groups/:id': { name: 'Hijacked' },
  'POST /api/v1/modifier-groups/:id/modifiers': { name: 'Hijacked', price_delta: 1 },
  'PATCH /api/v1/modifiers/:id': { name: 'Hijacked' },
  'PATCH /api/v1/tax-categories/:id': { name: 'Hijacked' },
  'PATCH /api/v1/tax-rules/:id': { name: 'Hijacked' },
  'PATCH /api/v1/service-charges/:id': { name: 'Hijacked', rate_bps: 10_000 },
  'PATCH /api/v1/promotions/:id': { name: 'Hijacked', active: false },
  'PATCH /api/v1/coupons/:id': { active: false, max_redemptions: 1 },
  'POST /api/v1/orders/:id/items': { variant_id: uuidv7(), quantity: 1 },
  'PATCH /api/v1/orders/:id/items/:item_id': { quantity: 2 },
  'POST /api/v1/orders/:id/discount': { discount: { type: 'percentage', rate_bp: 1000 } },
  'POST /api/v1/orders/:id/payments': { payment_type: 'CASH', amount: 1000 },
  'POST /api/v1/orders/:id/void': { reason: 'Hijacked' },
  'POST /api/v1/orders/:id/refunds': { reason: 'Hijacked', amount: 1000 },
  'PATCH /api/v1/inventory/locations/:id': { name: 'Hijacked', archived: true },
  'PATCH /api/v1/suppliers/:id': { name: 'Hijacked', archived: true },
  'POST /api/v1/purchase-orders/:id/receive': { lines: [{ variant_id: uuidv7(), quantity: 1 }] },
  'POST /api/v1/transfers/:id/receive': { lines: [{ variant_id: uuidv7(), quantity: 1 }] },
  'POST /api/v1/stock-counts/:id/lines': { lines: [{ variant_id: uuidv7(), counted: 1 }] },
  'POST /api/v1/cash-sessions/:id/movements': { kind: 'PAY_OUT', amount: 1000, reason: 'Hijacked' },
  'POST /api/v1/cash-sessions/:id/close': { counted_cash: 0, note: 'Hijacked' },
  'POST /api/v1/cash-sessions/:id/approve': { note: 'Hijacked' },
  'PATCH /api/v1/commission-rules/:id': { name: 'Hijacked', active: false },
  'PATCH /api/v1/terminals/:id': { name: 'Hijacked', active: false },
  'PATCH /api/v1/staff/:id/profile': { outlet_ids: [] },
  'PUT /api/v1/staff/:id/pin': { pin: '1234' },
  'PATCH /api/v1/customers/:id': { name: 'Hijacked', email: 'hijacked@example.com' },
  'POST /api/v1/customers/:id/merge': { source_id: uuidv7() },
  'POST /api/v1/customers/:id/points/redeem': { points: 1 },
  'POST /api/v1/customers/:id/points/adjust': { points: 100 },
  'POST /api/v1/customers/:id/store-credit': { amount: 1000 },
  'PATCH /api/v1/customer-groups/:id': { name: 'Hijacked' },
  'PUT /api/v1/inventory/stock-units/:id': { unit: 'kg' },
  'PUT /api/v1/inventory/recipes/variants/:id': { components: [] },
  'PUT /api/v1/inventory/recipes/modifiers/:id': { components: [] },
};

/** Lists that need filters to name what they list, built from A's created item. */
const LIST_QUERIES: Record<string, (item: { owner_type?: string; owner_id?: string }) => string> = {
  '/api/v1/images': (item) => `owner_type=${item.owner_type}&owner_id=${item.owner_id}`,
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
    const sample = await SAMPLES[collection]!(fixture(a));
    const created = sample && typeof sample === 'object' && 'create' in sample ? await (sample as Creator).create(fixture(a)) : await call(s.baseUrl, 'POST', collection, { headers: a.devHeaders, body: sample });
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
      const attack = ATTACKS[name] as Sender | undefined;
      const res = attack && typeof attack === 'object' && 'send' in attack ? await attack.send(fillParams(r.url, id), b.devHeaders) : await call(s.baseUrl, r.method, fillParams(r.url, id), { headers: b.devHeaders, body });
      expect([404, 403], `${name} as tenant B → ${res.status} ${JSON.stringify(res.body)} (a 400 means: add a body to ATTACKS)`).toContain(res.status);
    }

    const list = tenantRoutes.find((r) => r.method === 'GET' && r.url === collection);
    if (list) {
      const filters = LIST_QUERIES[collection]?.(created.body);
      const theirs = await call(s.baseUrl, 'GET', `${collection}?page_size=100${filters ? `&${filters}` : ''}`, { headers: b.devHeaders });
      // A list filtered by A's owner may itself answer 404 to B; a list that answers must not show A's item.
      expect([200, 404]).toContain(theirs.status);
      if (theirs.status === 200) expect(theirs.body.items.map((x: { id: string }) => x.id)).not.toContain(id);
    }
    const after = await read();
    expect(after.body).toEqual(before.body);
  });
});

describe.each(collections.filter((c) => !creatable.includes(c)))('%s (no creator route)', (collection) => {
  it('answers 404 for ids that are not the caller’s', async () => {
    for (const r of itemRoutes.filter((x) => collectionOf(x.url) === collection)) {
      const attack = ATTACKS[`${r.method} ${r.url}`] as Sender | undefined;
      const path = fillParams(r.url, uuidv7());
      const res = attack && typeof attack === 'object' && 'send' in attack ? await attack.send(path, b.devHeaders) : await call(s.baseUrl, r.method, path, { headers: b.devHeaders, body: r.method === 'GET' ? undefined : (attack ?? {}) });
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
