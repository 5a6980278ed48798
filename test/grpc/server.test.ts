import * as grpc from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { sql } from 'drizzle-orm';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPosProtos } from '../../src/adapters/grpc/protos.js';
import { IMPLEMENTED_METHODS } from '../../src/adapters/grpc/server.js';
import { SECRET_SHOWN_ONCE } from '../../src/adapters/http/routes/access.routes.js';
import { rowsOf } from '../../src/platform/db.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { ok, rpc, startTestGrpcServer, type TestGrpcServer } from '../support/grpc.js';
import { createTenant, type TestTenant } from '../support/server.js';

let s: TestGrpcServer;
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  s = await startTestGrpcServer();
  a = await createTenant(s.app);
  b = await createTenant(s.app);
});
afterAll(() => s.stop());

describe('gRPC health', () => {
  it('answers pos.v1.HealthService/Check without credentials', async () => {
    const r = await rpc(s.client('HealthService'), 'Check');
    expect(r.ok && r.body).toMatchObject({ status: 'SERVING', version: expect.any(String) });
  });

  it('serves the standard grpc.health.v1 Health service', async () => {
    const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(healthProtoPath, { keepCase: true, enums: String }));
    const Health = (((pkg.grpc as grpc.GrpcObject).health as grpc.GrpcObject).v1 as grpc.GrpcObject).Health as grpc.ServiceClientConstructor;
    const client = new Health(s.target, grpc.credentials.createInsecure());
    try {
      for (const service of ['', 'pos.v1.TenantService']) expect(await ok(rpc(client, 'Check', { service }))).toEqual({ status: 'SERVING' });
      const unknown = await rpc(client, 'Check', { service: 'no.such.Service' });
      expect(unknown.ok || unknown.code).toBe(status.NOT_FOUND);
    } finally {
      client.close();
    }
  });
});

describe('gRPC authentication', () => {
  it('refuses a call without credentials with UNAUTHENTICATED and the Kasir code', async () => {
    const r = await rpc(s.client('TenantService'), 'ListOutlets');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe(status.UNAUTHENTICATED);
    expect(r.details?.errorInfo).toMatchObject({ reason: 'UNAUTHENTICATED', domain: 'kasir' });
  });

  it('accepts an API key in x-api-key metadata', async () => {
    const body = await ok(rpc(s.client('TenantService'), 'GetTenant', {}, { 'x-api-key': a.apiKey }));
    expect(body.tenant.id).toBe(a.tenantId);
  });

  it('shows another tenant’s outlet as NOT_FOUND and changes nothing', async () => {
    const tenants = s.client('TenantService');
    const mine = await ok(rpc(tenants, 'CreateOutlet', { code: 'PRIVATE', name: 'Private' }, a.devHeaders));
    const theirs = await rpc(tenants, 'GetOutlet', { id: mine.outlet.id }, b.devHeaders);
    expect(theirs.ok || theirs.code).toBe(status.NOT_FOUND);
    expect(theirs.ok || theirs.details?.errorInfo?.reason).toBe('OUTLET_NOT_FOUND');
    const update = await rpc(tenants, 'UpdateOutlet', { id: mine.outlet.id, name: 'Hijacked' }, b.devHeaders);
    expect(update.ok || update.code).toBe(status.NOT_FOUND);
    const still = await ok(rpc(tenants, 'GetOutlet', { id: mine.outlet.id }, a.devHeaders));
    expect(still.outlet.name).toBe('Private');
  });

  it('guards PlatformService with x-platform-admin-key', async () => {
    const platform = s.client('PlatformService');
    const refused = await rpc(platform, 'ListTenants', {}, a.devHeaders);
    expect(refused.ok || refused.code).toBe(status.UNAUTHENTICATED);
    const got = await ok(rpc(platform, 'GetTenant', { id: a.tenantId }, { 'x-platform-admin-key': s.config.POS_PLATFORM_ADMIN_KEY! }));
    expect(got.tenant).toMatchObject({ id: a.tenantId, status: 'active', cash_rounding_unit: '0' });
  });
});

describe('gRPC errors', () => {
  it('names the invalid field in the message, the ErrorInfo and a BadRequest', async () => {
    const r = await rpc(s.client('TenantService'), 'CreateOutlet', { code: 'bad code!', name: 'X', time_zone: 'Mars/Olympus' }, a.devHeaders);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe(status.INVALID_ARGUMENT);
    expect(r.message).toMatch(/code: .*time_zone: /);
    expect(r.details?.errorInfo?.reason).toBe('VALIDATION_FAILED');
    expect(r.details?.fieldViolations?.map((f) => f.field).sort()).toEqual(['code', 'time_zone']);
  });

  it('refuses an id that is not a UUID as INVALID_ARGUMENT naming the field, not INTERNAL', async () => {
    const r = await rpc(s.client('StaffService'), 'GetApiKey', { id: 'not-a-uuid' }, a.devHeaders);
    expect(r.ok || [r.code, r.details?.fieldViolations?.[0]?.field]).toEqual([status.INVALID_ARGUMENT, 'id']);
  });

  it('answers every declared RPC not implemented yet with UNIMPLEMENTED saying what it awaits', async () => {
    const areas: Record<string, string> = {
      CatalogService: 'catalog',
      SalesService: 'receipt rendering',
      InventoryService: 'inventory',
      CustomerService: 'customers',
      StaffService: 'staff shifts, cash drawers and commissions',
      PromotionService: 'promotions',
      PaymentTransactionService: 'payment transactions',
    };
    const pending: string[] = [];
    for (const [name, def] of Object.entries(loadPosProtos())) {
      if ('format' in def) continue;
      const service = name.replace('pos.v1.', '');
      for (const method of Object.keys(def)) {
        if (IMPLEMENTED_METHODS.includes(`/${name}/${method}`)) continue;
        pending.push(`${service}/${method}`);
        const r = await rpc(s.client(service), method, {}, a.devHeaders);
        expect(r.ok || [r.code, r.message], `${service}/${method}`).toEqual([status.UNIMPLEMENTED, expect.stringMatching(new RegExp(`^${areas[service]} is not available yet`))]);
      }
    }
    expect(pending.some((m) => m.startsWith('PaymentTransactionService/'))).toBe(true);
    expect(IMPLEMENTED_METHODS).toContain('/pos.v1.InventoryService/CreateLocation');
    expect(IMPLEMENTED_METHODS).toContain('/pos.v1.StaffService/StartShift');
    expect(IMPLEMENTED_METHODS).toContain('/pos.v1.StaffService/CreateApiKey');
  });

  it('counts every call in the latency histogram by method and code', async () => {
    await rpc(s.client('TenantService'), 'GetTenant', {}, a.devHeaders);
    const { body } = await s.app.metrics.render();
    expect(body).toMatch(/kasir_grpc_request_duration_seconds_count\{method="\/pos.v1.TenantService\/GetTenant",code="OK"\} \d+/);
    expect(body).toMatch(/kasir_grpc_request_duration_seconds_count\{method="\/pos.v1.TenantService\/ListOutlets",code="UNAUTHENTICATED"\} \d+/);
  });
});

describe('gRPC idempotency', () => {
  it('replays the first response for a repeated key from metadata, and refuses the key for a different request', async () => {
    const tenants = s.client('TenantService');
    const key = { 'idempotency-key': `k-${uuidv7()}` };
    const first = await rpc(tenants, 'CreateOutlet', { code: 'IDEM', name: 'Once' }, { ...a.devHeaders, ...key });
    const again = await rpc(tenants, 'CreateOutlet', { code: 'IDEM', name: 'Once' }, { ...a.devHeaders, ...key });
    expect(first.ok && again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(again.body).toEqual(first.body);
    expect(first.header.get('idempotent-replayed')).toEqual(['false']);
    expect(again.header.get('idempotent-replayed')).toEqual(['true']);
    const other = await rpc(tenants, 'CreateOutlet', { code: 'IDEM2', name: 'Other' }, { ...a.devHeaders, ...key });
    expect(other.ok || [other.code, other.details?.errorInfo?.reason]).toEqual([status.INVALID_ARGUMENT, 'IDEMPOTENCY_KEY_REUSED']);
    const list = await ok(rpc(tenants, 'ListOutlets', {}, a.devHeaders));
    expect(list.outlets.filter((o: { code: string }) => o.code.startsWith('IDEM'))).toHaveLength(1);
  });

  it('takes the key from the request field idempotency_key too, never runs the write twice, and never replays a secret', async () => {
    const staff = s.client('StaffService');
    const req = { name: 'Kiosk', permissions: ['pos:settings:read'], idempotency_key: `f-${uuidv7()}` };
    const first = await ok(rpc(staff, 'CreateApiKey', req, a.devHeaders));
    const again = await ok(rpc(staff, 'CreateApiKey', req, a.devHeaders));
    expect(again.api_key).toEqual(first.api_key);
    expect(again.secret).toBe(SECRET_SHOWN_ONCE);
    expect((await ok(rpc(s.client('TenantService'), 'ListOutlets', {}, { 'x-api-key': first.secret }))).outlets.length).toBeGreaterThan(0);
    const stored = rowsOf<{ response_body: string }>(
      await s.app.database.transaction(a.tenantId, (db) => db.execute(sql`SELECT response_body FROM idempotency_keys WHERE key = ${req.idempotency_key}`)),
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.response_body).toContain(SECRET_SHOWN_ONCE);
    expect(stored[0]!.response_body).not.toContain(first.secret);
  });
});

describe('StaffService over gRPC', () => {
  it('creates a custom role, changes only what is set, and clears its permissions only when asked', async () => {
    const staff = s.client('StaffService');
    const created = await ok(rpc(staff, 'CreateRole', { key: 'barista', name: 'Barista', level: 20, permissions: ['pos:settings:read', 'pos:staff:read'] }, a.devHeaders));
    expect(created.role).toMatchObject({ key: 'barista', level: 20, system: false, permissions: ['pos:settings:read', 'pos:staff:read'] });
    const renamed = await ok(rpc(staff, 'UpdateRole', { id: created.role.id, name: 'Head barista' }, a.devHeaders));
    expect(renamed.role).toMatchObject({ name: 'Head barista', level: 20, permissions: ['pos:settings:read', 'pos:staff:read'] });
    const cleared = await ok(rpc(staff, 'UpdateRole', { id: created.role.id, clear_permissions: true }, a.devHeaders));
    expect(cleared.role.permissions).toEqual([]);
    const page = await ok(rpc(staff, 'ListRoles', { pagination: { page_size: 2 } }, a.devHeaders));
    expect(page.roles).toHaveLength(2);
    expect(page.pagination).toMatchObject({ total_count: 2, next_page_token: page.roles[1].id });
  });

  it('clears a staff member’s e-mail with an empty string and filters the list by active', async () => {
    const staff = s.client('StaffService');
    const roles = await ok(rpc(staff, 'ListRoles', {}, b.devHeaders));
    const cashier = roles.roles.find((r: { key: string }) => r.key === 'cashier');
    const m = await ok(rpc(staff, 'CreateStaffMember', { user_id: uuidv7(), role_id: cashier.id, display_name: 'Budi', email: 'budi@example.com', active: false }, b.devHeaders));
    expect(m.staff_member).toMatchObject({ email: 'budi@example.com', active: false });
    const cleared = await ok(rpc(staff, 'UpdateStaffMember', { id: m.staff_member.id, email: '' }, b.devHeaders));
    expect(cleared.staff_member.email).toBeUndefined();
    const inactive = await ok(rpc(staff, 'ListStaffMembers', { active: false }, b.devHeaders));
    expect(inactive.staff_members.map((x: { id: string }) => x.id)).toEqual([m.staff_member.id]);
  });
});
