import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { uuidv7 } from '../../src/platform/ids.js';
import { ok, rpc, startTestGrpcServer, type TestGrpcServer } from '../support/grpc.js';
import { createTenant } from '../support/server.js';

let s: TestGrpcServer;
beforeAll(async () => {
  s = await startTestGrpcServer();
});
afterAll(() => s.stop());

describe('gRPC operations', () => {
  it('writes one log line per call with request id, tenant, method, code and duration, and echoes x-request-id', async () => {
    const t = await createTenant(s.app);
    const info = vi.spyOn(s.app.log, 'info');
    try {
      const r = await rpc(s.client('TenantService'), 'GetOutlet', { id: t.outletId }, { ...t.devHeaders, 'x-request-id': 'trace-0123456789' });
      expect(r.ok && r.header.get('x-request-id')).toEqual(['trace-0123456789']);
      const lines = info.mock.calls.filter(([fields]) => (fields as { method?: string }).method === '/pos.v1.TenantService/GetOutlet');
      expect(lines).toHaveLength(1);
      expect(lines[0]![0]).toMatchObject({ req_id: 'trace-0123456789', tenant_id: t.tenantId, grpc_code: 'OK', duration_ms: expect.any(Number) });
    } finally {
      info.mockRestore();
    }
  });

  it('answers an unexpected failure with INTERNAL and a generic message, and logs it with the request id', async () => {
    const t = await createTenant(s.app);
    const tenants = s.app.services.tenants;
    const current = vi.spyOn(tenants, 'current').mockRejectedValue(new Error('relation "secret_table" does not exist'));
    const error = vi.spyOn(s.app.log, 'error');
    try {
      const r = await rpc(s.client('TenantService'), 'GetTenant', {}, t.devHeaders);
      expect(r.ok || [r.code, r.message, r.details?.errorInfo?.reason]).toEqual([status.INTERNAL, 'An unexpected error occurred; it has been logged', 'INTERNAL']);
      expect(JSON.stringify(r.ok || r.trailers.getMap())).not.toMatch(/secret_table/);
      expect(error).toHaveBeenCalledWith(expect.objectContaining({ method: '/pos.v1.TenantService/GetTenant', req_id: expect.any(String) }), 'unexpected error');
    } finally {
      current.mockRestore();
      error.mockRestore();
    }
  });

  it('lets the platform operator provision, suspend and reactivate a tenant whose API key follows its state', async () => {
    const platform = s.client('PlatformService');
    const admin = { 'x-platform-admin-key': s.config.POS_PLATFORM_ADMIN_KEY! };
    const created = await ok(
      rpc(
        platform,
        'CreateTenant',
        { slug: `g-${uuidv7().slice(-12)}`, name: 'Warung gRPC', cash_rounding_unit: '50000', owner: { user_id: uuidv7(), display_name: 'Owner' }, api_key: { name: 'ops' } },
        admin,
      ),
    );
    expect(created).toMatchObject({ tenant: { name: 'Warung gRPC', cash_rounding_unit: '50000', status: 'active' }, outlet: { code: 'MAIN' }, owner: { display_name: 'Owner' } });
    const key = { 'x-api-key': created.api_key.secret as string };
    const tenants = s.client('TenantService');
    expect((await ok(rpc(tenants, 'GetTenant', {}, key))).tenant.id).toBe(created.tenant.id);

    expect((await ok(rpc(platform, 'SuspendTenant', { id: created.tenant.id, reason: 'unpaid' }, admin))).tenant).toMatchObject({ status: 'suspended', suspended_reason: 'unpaid' });
    const refused = await rpc(tenants, 'GetTenant', {}, key);
    expect(refused.ok || [refused.code, refused.details?.errorInfo?.reason]).toEqual([status.PERMISSION_DENIED, 'TENANT_SUSPENDED']);
    await ok(rpc(platform, 'ReactivateTenant', { id: created.tenant.id }, admin));
    expect((await ok(rpc(tenants, 'GetTenant', {}, key))).tenant.status).toBe('active');

    const listed = await ok(rpc(platform, 'ListTenants', { pagination: { page_size: 100 }, status: 'suspended' }, admin));
    expect(listed.tenants.map((x: { id: string }) => x.id)).not.toContain(created.tenant.id);
    const wrong = await rpc(platform, 'ListTenants', {}, { 'x-platform-admin-key': 'x'.repeat(admin['x-platform-admin-key'].length) });
    expect(wrong.ok || wrong.code).toBe(status.UNAUTHENTICATED);
    const bad = await rpc(platform, 'ListTenants', { status: 'gone' }, admin);
    expect(bad.ok || [bad.code, bad.details?.fieldViolations?.[0]?.field]).toEqual([status.INVALID_ARGUMENT, 'status']);
    const dup = await rpc(platform, 'CreateTenant', { slug: created.tenant.slug, name: 'Again' }, admin);
    expect(dup.ok || [dup.code, dup.details?.errorInfo?.reason]).toEqual([status.ALREADY_EXISTS, 'TENANT_SLUG_TAKEN']);
  });
});

describe('gRPC rate limits', () => {
  let limited: TestGrpcServer;
  beforeAll(async () => {
    limited = await startTestGrpcServer({ POS_RATE_LIMIT_IP_PER_MINUTE: '3' });
  });
  afterAll(() => limited.stop());

  it('refuses calls past the per-IP limit with RESOURCE_EXHAUSTED and when to retry, and never limits health checks', async () => {
    const tenants = limited.client('TenantService');
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await rpc(tenants, 'GetTenant'));
    expect(results.slice(0, 3).map((r) => r.ok || r.code)).toEqual([status.UNAUTHENTICATED, status.UNAUTHENTICATED, status.UNAUTHENTICATED]);
    const last = results[3]!;
    expect(last.ok).toBe(false);
    if (last.ok) return;
    expect(last.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(last.details?.errorInfo).toMatchObject({ reason: 'RATE_LIMITED', domain: 'kasir', metadata: { scope: 'ip' } });
    expect(last.details?.retryDelaySeconds).toBeGreaterThan(0);
    expect(Number(last.trailers.get('retry-after')[0])).toBe(last.details?.retryDelaySeconds);
    for (let i = 0; i < 5; i++) expect((await ok(rpc(limited.client('HealthService'), 'Check'))).status).toBe('SERVING');
  });
});
