import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, JwksServer, newSigningKey, ownerClaims, signToken, startAuthServer, type SigningKey } from '../support/auth.js';
import { call, createTenant, startTestServer, type TestServer, type TestTenant } from '../support/server.js';

const ADMIN = { 'x-platform-admin-key': 'test-platform-admin-key-0123456789' };
let key: SigningKey;
let jwks: JwksServer;
let authNode: TestServer; // POS_AUTH_ENABLED=true: JWTs and API keys
let devNode: TestServer; // POS_AUTH_ENABLED=false: dev headers and API keys

beforeAll(async () => {
  key = await newSigningKey();
  jwks = await JwksServer.start(key);
  authNode = await startAuthServer(jwks);
  devNode = await startTestServer();
});
afterAll(async () => {
  await authNode.stop();
  await devNode.stop();
  await jwks.close();
});

type Check = { name: string; node: () => TestServer; headers: () => Promise<Record<string, string>> };
const checks = (t: TestTenant): Check[] => [
  { name: 'JWT', node: () => authNode, headers: async () => bearer(await signToken(key, ownerClaims(t))) },
  { name: 'API key', node: () => authNode, headers: async () => ({ 'x-api-key': t.apiKey }) },
  { name: 'dev headers', node: () => devNode, headers: async () => t.devHeaders },
];

async function statusOf(c: Check, method = 'GET', path = '/api/v1/outlets', body?: unknown) {
  return call(c.node().baseUrl, method, path, { headers: await c.headers(), body });
}

/** Suspends or reactivates through each node's own endpoint: the operator's call drops that node's caches at once. */
async function setStatus(t: TestTenant, action: 'suspend' | 'reactivate', nodes: TestServer[]) {
  for (const n of nodes) {
    const r = await call(n.baseUrl, 'POST', `/api/v1/platform/tenants/${t.tenantId}/${action}`, { headers: ADMIN, body: action === 'suspend' ? { reason: 'unpaid invoice' } : undefined });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe(action === 'suspend' ? 'suspended' : 'active');
  }
}

describe('a suspended tenant', () => {
  it('is refused with 403 TENANT_SUSPENDED for JWT, API key and dev headers, and served again after reactivation', async () => {
    const t = await createTenant(authNode.app);
    const other = await createTenant(authNode.app);
    for (const c of checks(t)) expect((await statusOf(c)).status, c.name).toBe(200); // caches now say "active"

    await setStatus(t, 'suspend', [authNode, devNode]);
    for (const c of checks(t)) {
      for (const [method, path, body] of [['GET', '/api/v1/outlets', undefined], ['GET', '/api/v1/me', undefined], ['POST', '/api/v1/outlets', { code: 'SUSP', name: 'Suspended' }]] as const) {
        const r = await statusOf(c, method, path, body);
        expect(r.status, `${c.name} ${method} ${path}`).toBe(403);
        expect(r.body.error.code).toBe('TENANT_SUSPENDED');
      }
    }
    for (const c of checks(other)) expect((await statusOf(c)).status, `other tenant, ${c.name}`).toBe(200);
    const seen = await call(authNode.baseUrl, 'GET', `/api/v1/platform/tenants/${t.tenantId}`, { headers: ADMIN });
    expect(seen.body).toMatchObject({ status: 'suspended', suspended_reason: 'unpaid invoice' });

    await setStatus(t, 'reactivate', [authNode, devNode]);
    for (const c of checks(t)) expect((await statusOf(c)).status, c.name).toBe(200);
    const created = await statusOf(checks(t)[1]!, 'POST', '/api/v1/outlets', { code: 'BACK', name: 'Back in business' });
    expect(created.status).toBe(201);
  });

  it('is refused on a node that had not seen it before the suspension', async () => {
    const t = await createTenant(authNode.app);
    await setStatus(t, 'suspend', [authNode]);
    for (const c of checks(t)) {
      const r = await statusOf(c);
      expect(r.status, c.name).toBe(403);
      expect(r.body.error.code).toBe('TENANT_SUSPENDED');
    }
  });
});
