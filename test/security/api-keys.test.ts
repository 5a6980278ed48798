import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../src/modules/access/api-key.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { call, createTenant, startTestServer, type TestServer, type TestTenant } from '../support/server.js';

let s: TestServer;
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  s = await startTestServer();
  a = await createTenant(s.app);
  b = await createTenant(s.app);
});
afterAll(() => s.stop());

const withKey = (key: string) => ({ 'x-api-key': key });

async function createKey(t: TestTenant, permissions: string[], extra: Record<string, unknown> = {}, headers = t.devHeaders) {
  const r = await call(s.baseUrl, 'POST', '/api/v1/api-keys', { headers, body: { name: `key ${uuidv7().slice(-6)}`, permissions, ...extra } });
  return r;
}

/** A staff member of `t` with a system role, acting through dev headers. */
async function staffHeaders(t: TestTenant, roleKey: string) {
  const roles = await call(s.baseUrl, 'GET', '/api/v1/roles', { headers: t.devHeaders });
  const role = roles.body.items.find((r: { key: string }) => r.key === roleKey);
  const m = await call(s.baseUrl, 'POST', '/api/v1/staff', { headers: t.devHeaders, body: { user_id: uuidv7(), role_id: role.id, display_name: roleKey } });
  return { headers: { 'x-dev-tenant-id': t.tenantId, 'x-dev-user-id': m.body.user_id, 'x-dev-membership-id': m.body.id }, roles: roles.body.items as { id: string; key: string }[] };
}

describe('API keys', () => {
  it('creates a key that authenticates with x-api-key and carries exactly its permissions', async () => {
    const created = await createKey(a, ['pos:settings:read', 'pos:staff:read']);
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^ksr_/);
    const me = await call(s.baseUrl, 'GET', '/api/v1/me', { headers: withKey(created.body.secret) });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ tenant_id: a.tenantId, actor_kind: 'api_key', api_key_id: created.body.id, permissions: ['pos:settings:read', 'pos:staff:read'] });
    expect((await call(s.baseUrl, 'GET', '/api/v1/outlets', { headers: withKey(created.body.secret) })).status).toBe(200);
  });

  it('never shows a secret or its hash after creation', async () => {
    const created = await createKey(a, ['pos:settings:read']);
    const secretPart = (created.body.secret as string).slice(-43);
    const hash = hashSecret(secretPart);
    for (const path of ['/api/v1/api-keys?page_size=100', `/api/v1/api-keys/${created.body.id}`]) {
      const r = await fetch(`${s.baseUrl}${path}`, { headers: a.devHeaders });
      const text = await r.text();
      expect(r.status).toBe(200);
      expect(text).toContain(created.body.id);
      for (const leak of [secretPart, created.body.secret, hash.toString('hex'), hash.toString('base64'), hash.toString('base64url'), 'secret']) {
        expect(text, path).not.toContain(leak);
      }
    }
    const one = await call(s.baseUrl, 'GET', `/api/v1/api-keys/${created.body.id}`, { headers: a.devHeaders });
    expect(Object.keys(one.body).sort()).toEqual(['created_at', 'expires_at', 'id', 'last4', 'last_used_at', 'name', 'permissions', 'revoked_at']);
    expect(one.body.last4).toBe(secretPart.slice(-4));
  });

  it('refuses a revoked key at once on the node that revoked it', async () => {
    for (let i = 0; i < 5; i++) {
      const created = await createKey(a, ['pos:settings:read']);
      expect((await call(s.baseUrl, 'GET', '/api/v1/me', { headers: withKey(created.body.secret) })).status).toBe(200); // now cached
      const revoked = await call(s.baseUrl, 'POST', `/api/v1/api-keys/${created.body.id}/revoke`, { headers: a.devHeaders });
      expect(revoked.status).toBe(200);
      expect(revoked.body.revoked_at).not.toBeNull();
      const after = await call(s.baseUrl, 'GET', '/api/v1/me', { headers: withKey(created.body.secret) });
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('INVALID_API_KEY');
    }
  });

  it('refuses an expired key, and refuses to create one that is already expired', async () => {
    const pastExpiry = await createKey(a, ['pos:settings:read'], { expires_at: new Date(Date.now() - 60_000).toISOString() });
    expect(pastExpiry.status).toBe(400);
    // A key that has expired since it was made: written with a past expiry below the API's validation.
    const { secret } = await s.app.database.transaction(a.tenantId, (db) =>
      s.app.services.access.insertApiKey({ db, tenantId: a.tenantId, actor: { kind: 'system', permissions: new Set() }, requestId: 't', database: s.app.database, log: s.app.log }, 'lapsed', ['pos:settings:read'], new Date(Date.now() - 60_000)),
    );
    const r = await call(s.baseUrl, 'GET', '/api/v1/me', { headers: withKey(secret) });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('INVALID_API_KEY');
  });

  it('refuses tampered, truncated, foreign and made-up keys', async () => {
    const created = await createKey(a, ['pos:settings:read']);
    const key: string = created.body.secret;
    const flip = (k: string, i: number) => k.slice(0, i) + (k[i] === 'A' ? 'B' : 'A') + k.slice(i + 1);
    // Tenant B's locator with tenant A's key id and secret: the key is looked up in B, where it is not.
    const foreign = 'ksr_' + Buffer.concat([Buffer.from(b.tenantId.replace(/-/g, ''), 'hex'), Buffer.from(created.body.id.replace(/-/g, ''), 'hex')]).toString('base64url') + key.slice(47);
    for (const bad of [flip(key, key.length - 1), flip(key, 10), key.slice(0, -1), `${key}x`, foreign, 'ksr_nope', 'not-a-key', ' '.repeat(10), `ksr_${'A'.repeat(300)}`]) {
      const r = await call(s.baseUrl, 'GET', '/api/v1/me', { headers: withKey(bad) });
      expect(r.status, bad).toBe(401);
    }
  });

  it('gives a narrow key 403 PERMISSION_DENIED elsewhere', async () => {
    const created = await createKey(a, ['pos:settings:read']);
    const h = withKey(created.body.secret);
    for (const [method, path, body] of [
      ['POST', '/api/v1/outlets', { code: 'NARROW', name: 'Narrow' }],
      ['GET', '/api/v1/staff', undefined],
      ['GET', '/api/v1/api-keys', undefined],
      ['POST', '/api/v1/api-keys', { name: 'x', permissions: ['pos:settings:read'] }],
      ['PATCH', '/api/v1/tenant', { name: 'Renamed' }],
    ] as const) {
      const r = await call(s.baseUrl, method, path, { headers: h, body });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error.code).toBe('PERMISSION_DENIED');
    }
  });

  it('refuses to grant permissions the creator does not hold (PERMISSION_ESCALATION)', async () => {
    const manager = await createKey(a, ['pos:apikey:manage', 'pos:settings:read']);
    const r = await createKey(a, ['pos:settings:read', 'pos:settings:write'], {}, withKey(manager.body.secret));
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('PERMISSION_ESCALATION');
    expect(r.body.error.details.permissions).toEqual(['pos:settings:write']);
    const ok = await createKey(a, ['pos:settings:read'], {}, withKey(manager.body.secret));
    expect(ok.status).toBe(201);
  });

  it('refuses an admin who would create a role or staff member above themselves', async () => {
    const admin = await staffHeaders(a, 'admin');
    const role = await call(s.baseUrl, 'POST', '/api/v1/roles', { headers: admin.headers, body: { key: 'keymaster', name: 'Key master', level: 50, permissions: ['pos:apikey:manage'] } });
    expect(role.status).toBe(403);
    expect(role.body.error.code).toBe('PERMISSION_ESCALATION');
    const owner = admin.roles.find((r) => r.key === 'owner')!;
    const staff = await call(s.baseUrl, 'POST', '/api/v1/staff', { headers: admin.headers, body: { user_id: uuidv7(), role_id: owner.id, display_name: 'Sneaky' } });
    expect(staff.status).toBe(403);
    expect(staff.body.error.code).toBe('PERMISSION_ESCALATION');
    const key = await createKey(a, ['pos:settings:read'], {}, admin.headers);
    expect(key.status).toBe(403);
    expect(key.body.error.code).toBe('PERMISSION_DENIED');
  });

  it('does not replay a key’s secret to another actor who reuses its Idempotency-Key', async () => {
    const idem = `create-key-${uuidv7()}`;
    const body = { name: 'till key', permissions: ['pos:settings:read'] };
    const first = await call(s.baseUrl, 'POST', '/api/v1/api-keys', { headers: { ...a.devHeaders, 'idempotency-key': idem }, body });
    expect(first.status).toBe(201);
    const cashier = await staffHeaders(a, 'cashier');
    const replay = await call(s.baseUrl, 'POST', '/api/v1/api-keys', { headers: { ...cashier.headers, 'idempotency-key': idem }, body });
    expect(replay.status).not.toBe(201);
    expect(JSON.stringify(replay.body)).not.toContain(first.body.secret);
  });
});
