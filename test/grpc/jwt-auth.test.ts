import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { status } from '@grpc/grpc-js';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, rpc, startTestGrpcServer, type TestGrpcServer } from '../support/grpc.js';
import { createTenant, type TestTenant } from '../support/server.js';

/** Seed 000's JWT mode over gRPC metadata: an Ed25519 token from a real JWKS served over HTTP. */
let jwks: Server;
let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let s: TestGrpcServer;
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  privateKey = pair.privateKey;
  const body = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'grpc-test', alg: 'EdDSA', use: 'sig' }] });
  jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  s = await startTestGrpcServer({ POS_AUTH_ENABLED: 'true', POS_AUTH_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json` });
  a = await createTenant(s.app);
  b = await createTenant(s.app);
});
afterAll(async () => {
  await s.stop();
  await new Promise((resolve) => jwks.close(resolve));
});

const token = (claims: Record<string, unknown>) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid: 'grpc-test' }).setIssuedAt().setExpirationTime('5m').sign(privateKey);
const bearer = async (claims: Record<string, unknown>) => ({ authorization: `Bearer ${await token(claims)}` });

describe('gRPC with POS_AUTH_ENABLED=true', () => {
  it('authenticates a tenant-scoped Ed25519 token sent as authorization metadata', async () => {
    const md = await bearer({ sub: a.ownerUserId, tenant_id: a.tenantId, membership_id: a.ownerMembershipId, scope: 'pos:*' });
    expect((await ok(rpc(s.client('TenantService'), 'GetTenant', {}, md))).tenant.id).toBe(a.tenantId);
  });

  it('limits the caller to the token’s scope', async () => {
    const md = await bearer({ sub: a.ownerUserId, tenant_id: a.tenantId, membership_id: a.ownerMembershipId, scope: 'pos:settings:read' });
    const r = await rpc(s.client('TenantService'), 'CreateOutlet', { code: 'NOPE', name: 'Nope' }, md);
    expect(r.ok || [r.code, r.details?.errorInfo?.reason]).toEqual([status.PERMISSION_DENIED, 'PERMISSION_DENIED']);
  });

  it('refuses a token naming another tenant than its membership’s, and development metadata', async () => {
    const crossed = await rpc(s.client('TenantService'), 'GetTenant', {}, await bearer({ tenant_id: b.tenantId, membership_id: a.ownerMembershipId, scope: 'pos:*' }));
    expect(crossed.ok || [crossed.code, crossed.details?.errorInfo?.reason]).toEqual([status.UNAUTHENTICATED, 'INVALID_TOKEN']);
    const dev = await rpc(s.client('TenantService'), 'GetTenant', {}, a.devHeaders);
    expect(dev.ok || [dev.code, dev.details?.errorInfo?.reason]).toEqual([status.UNAUTHENTICATED, 'DEV_HEADERS_DISABLED']);
  });
});
