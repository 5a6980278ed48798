import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/modules/access/index.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { bearer, hs256Token, JwksServer, newSigningKey, ownerClaims, signToken, startAuthServer, unsignedToken, type SigningKey } from '../support/auth.js';
import { call, createTenant, type TestServer, type TestTenant } from '../support/server.js';

let jwks: JwksServer;
let key: SigningKey;
let s: TestServer;
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  key = await newSigningKey();
  jwks = await JwksServer.start(key);
  s = await startAuthServer(jwks);
  a = await createTenant(s.app);
  b = await createTenant(s.app);
});
afterAll(async () => {
  await s.stop();
  await jwks.close();
});

const me = (headers: Record<string, string>) => call(s.baseUrl, 'GET', '/api/v1/me', { headers });
const refusedWith = async (headers: Record<string, string>, code: string) => {
  const r = await me(headers);
  expect(r.status, JSON.stringify(r.body)).toBe(401);
  expect(r.body.error.code).toBe(code);
  return r;
};

/** A staff member of `t` with the given system role, made through the API with the tenant's API key. */
async function addStaff(t: TestTenant, roleKey: string, active = true) {
  const roles = await call(s.baseUrl, 'GET', '/api/v1/roles', { headers: { 'x-api-key': t.apiKey } });
  const role = roles.body.items.find((r: { key: string }) => r.key === roleKey);
  const userId = uuidv7();
  const m = await call(s.baseUrl, 'POST', '/api/v1/staff', { headers: { 'x-api-key': t.apiKey }, body: { user_id: userId, role_id: role.id, display_name: roleKey, active } });
  expect(m.status).toBe(201);
  return { membershipId: m.body.id as string, userId, permissions: role.permissions as string[] };
}

describe('Ed25519 JWT authentication against a remote JWKS', () => {
  it('accepts a valid token and acts with the membership’s role permissions', async () => {
    const r = await me(bearer(await signToken(key, ownerClaims(a))));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ tenant_id: a.tenantId, actor_kind: 'staff', user_id: a.ownerUserId, membership_id: a.ownerMembershipId, api_key_id: null });
    expect(r.body.permissions).toEqual([...PERMISSIONS].sort());
  });

  it('gives a cashier only the cashier role’s permissions, whatever the scope claims', async () => {
    const cashier = await addStaff(a, 'cashier');
    const r = await me(bearer(await signToken(key, { tenant_id: a.tenantId, membership_id: cashier.membershipId, sub: cashier.userId, scope: '*' })));
    expect(r.status).toBe(200);
    expect(r.body.permissions).toEqual([...cashier.permissions].sort());
  });

  it('narrows permissions to the token scope', async () => {
    const h = bearer(await signToken(key, ownerClaims(a, 'pos:settings:read')));
    expect((await me(h)).body.permissions).toEqual(['pos:settings:read']);
    expect((await call(s.baseUrl, 'GET', '/api/v1/outlets', { headers: h })).status).toBe(200);
    const create = await call(s.baseUrl, 'POST', '/api/v1/outlets', { headers: h, body: { code: 'NOPE', name: 'Nope' } });
    expect(create.status).toBe(403);
    expect(create.body.error.code).toBe('PERMISSION_DENIED');
    const none = await me(bearer(await signToken(key, ownerClaims(a, ''))));
    expect(none.body.permissions).toEqual([]);
  });

  it('refuses an expired token with TOKEN_EXPIRED', async () => {
    await refusedWith(bearer(await signToken(key, ownerClaims(a), { exp: -120, iat: -600 })), 'TOKEN_EXPIRED');
  });

  it('refuses a token without an expiry', async () => {
    await refusedWith(bearer(await signToken(key, ownerClaims(a), { exp: null })), 'INVALID_TOKEN');
  });

  it('refuses a token that is not valid yet (nbf) or issued in the future (iat)', async () => {
    await refusedWith(bearer(await signToken(key, ownerClaims(a), { nbf: 600 })), 'INVALID_TOKEN');
    await refusedWith(bearer(await signToken(key, ownerClaims(a), { iat: 600, exp: 1200 })), 'INVALID_TOKEN');
  });

  it('refuses a token signed by a key the JWKS does not hold, under a new or a known kid', async () => {
    const stranger = await newSigningKey();
    await refusedWith(bearer(await signToken(stranger, ownerClaims(a))), 'INVALID_TOKEN');
    await refusedWith(bearer(await signToken(stranger, ownerClaims(a), { kid: key.kid })), 'INVALID_TOKEN');
    await refusedWith(bearer(await signToken(stranger, ownerClaims(a), { kid: null })), 'INVALID_TOKEN');
  });

  it('refuses alg none and HS256 keyed with the public key', async () => {
    await refusedWith(bearer(unsignedToken(ownerClaims(a), key.kid)), 'INVALID_TOKEN');
    await refusedWith(bearer(unsignedToken(ownerClaims(a))), 'INVALID_TOKEN');
    for (const secret of [key.rawPublic, key.spkiPem, key.publicJwk.x!]) {
      await refusedWith(bearer(hs256Token(secret, ownerClaims(a), key.kid)), 'INVALID_TOKEN');
    }
  });

  it('refuses malformed tokens and headers', async () => {
    const valid = await signToken(key, ownerClaims(a));
    const [h, p] = valid.split('.');
    for (const auth of ['Bearer', 'Bearer ', 'Bearer not-a-jwt', 'Bearer a.b.c', `Bearer ${h}.${p}`, `Bearer ${valid}x`, `Basic ${valid}`, `Bearer ${valid} extra`]) {
      const r = await me({ authorization: auth });
      expect(r.status, auth).toBe(401);
      expect(['INVALID_TOKEN', 'UNAUTHENTICATED']).toContain(r.body.error.code);
    }
  });

  it('refuses claims that are missing, not UUIDs, or name another user', async () => {
    await refusedWith(bearer(await signToken(key, { ...ownerClaims(a), tenant_id: undefined })), 'INVALID_TOKEN');
    await refusedWith(bearer(await signToken(key, { ...ownerClaims(a), membership_id: 'owner' })), 'INVALID_TOKEN');
    await refusedWith(bearer(await signToken(key, { ...ownerClaims(a), sub: uuidv7() })), 'INVALID_TOKEN');
  });

  it('refuses a membership of another tenant (wrong tenant)', async () => {
    await refusedWith(bearer(await signToken(key, { ...ownerClaims(a), tenant_id: b.tenantId })), 'INVALID_TOKEN');
    const r = await call(s.baseUrl, 'GET', '/api/v1/outlets', { headers: bearer(await signToken(key, { ...ownerClaims(b), membership_id: a.ownerMembershipId, sub: a.ownerUserId })) });
    expect(r.status).toBe(401);
  });

  it('refuses a token for a tenant that does not exist', async () => {
    const r = await me(bearer(await signToken(key, { ...ownerClaims(a), tenant_id: uuidv7() })));
    expect(r.status).toBe(401);
  });

  it('refuses an inactive membership, and one deactivated after it signed in', async () => {
    const idle = await addStaff(a, 'manager', false);
    await refusedWith(bearer(await signToken(key, { tenant_id: a.tenantId, membership_id: idle.membershipId, sub: idle.userId, scope: '*' })), 'INVALID_TOKEN');

    const leaver = await addStaff(a, 'manager');
    const h = bearer(await signToken(key, { tenant_id: a.tenantId, membership_id: leaver.membershipId, sub: leaver.userId, scope: '*' }));
    expect((await me(h)).status).toBe(200);
    const off = await call(s.baseUrl, 'PATCH', `/api/v1/staff/${leaver.membershipId}`, { headers: { 'x-api-key': a.apiKey }, body: { active: false } });
    expect(off.status).toBe(200);
    await refusedWith(h, 'INVALID_TOKEN');
  });

  it('refuses development headers when auth is enabled', async () => {
    await refusedWith(a.devHeaders, 'DEV_HEADERS_DISABLED');
    await refusedWith({ 'x-dev-tenant-id': a.tenantId }, 'DEV_HEADERS_DISABLED');
  });

  it('refuses a request without credentials', async () => {
    await refusedWith({}, 'UNAUTHENTICATED');
  });
});

describe('JWKS key rotation and outages', () => {
  it('accepts a new kid as soon as the JWKS publishes it, and drops a retired key', async () => {
    const k1 = await newSigningKey();
    const k2 = await newSigningKey();
    const rotating = await JwksServer.start(k1);
    const node = await startAuthServer(rotating);
    try {
      const t = await createTenant(node.app);
      const get = async (k: SigningKey) => (await call(node.baseUrl, 'GET', '/api/v1/me', { headers: bearer(await signToken(k, ownerClaims(t))) })).status;
      expect(await get(k1)).toBe(200);
      rotating.publish(k1, k2); // the Auth service adds its next key and starts signing with it at once
      expect(await get(k2)).toBe(200);
      expect(await get(k1)).toBe(200);
      rotating.publish(k2); // k1 retired
      const k3 = await newSigningKey();
      rotating.publish(k2, k3);
      expect(await get(k3)).toBe(200); // the refetch for k3 also learns that k1 is gone
      expect(await get(k1)).toBe(401);
      expect(await get(k2)).toBe(200);
    } finally {
      await node.stop();
      await rotating.close();
    }
  });

  it('does not let tokens with made-up kids hammer the Auth service', async () => {
    const k = await newSigningKey();
    const guarded = await JwksServer.start(k);
    const node = await startAuthServer(guarded);
    try {
      const t = await createTenant(node.app);
      for (let i = 0; i < 30; i++) {
        const r = await call(node.baseUrl, 'GET', '/api/v1/me', { headers: bearer(await signToken(await newSigningKey(), ownerClaims(t))) });
        expect(r.status).toBe(401);
      }
      expect(guarded.fetches).toBeLessThanOrEqual(10);
    } finally {
      await node.stop();
      await guarded.close();
    }
  });

  it('answers 503 AUTH_PROVIDER_UNAVAILABLE when the JWKS cannot be fetched, not 401', async () => {
    const k = await newSigningKey();
    const broken = await JwksServer.start(k);
    broken.failWith = 500;
    const node = await startAuthServer(broken);
    try {
      const t = await createTenant(node.app);
      const r = await call(node.baseUrl, 'GET', '/api/v1/me', { headers: bearer(await signToken(k, ownerClaims(t))) });
      expect(r.status).toBe(503);
      expect(r.body.error.code).toBe('AUTH_PROVIDER_UNAVAILABLE');
      broken.failWith = undefined;
      const again = await call(node.baseUrl, 'GET', '/api/v1/me', { headers: bearer(await signToken(k, ownerClaims(t))) });
      expect(again.status).toBe(200);
    } finally {
      await node.stop();
      await broken.close();
    }
  });
});
