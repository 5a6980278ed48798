import type { Client } from '@grpc/grpc-js';
import { rpc, type Body, type TestGrpcServer } from '../support/grpc.js';
import { DESIGN_STATUS, type Creds, type Driver, type Input, type Result } from './driver.js';

/** Optional fields a gRPC client sees as absent where REST JSON says null. */
const NULLABLE = ['city', 'email', 'revoked_at', 'expires_at', 'last_used_at', 'suspended_reason'];

function normalize(v: Body): Body {
  const out = { ...v };
  for (const k of NULLABLE) out[k] ??= null;
  // int64 arrives as a decimal string; REST JSON sends the number.
  if (typeof out.cash_rounding_unit === 'string') out.cash_rounding_unit = Number(out.cash_rounding_unit);
  return out;
}

/** The contract over gRPC: pos.v1 RPCs with metadata for credentials and idempotency-key. */
export function grpcDriver(server: TestGrpcServer): Driver {
  const clients = new Map<string, Client>();
  const client = (service: string) => clients.get(service) ?? clients.set(service, server.client(service)).get(service)!;
  const send = async <T>(service: string, method: string, c: Creds, request: object, pickOut: (b: Body) => Body, md: Record<string, string> = {}): Promise<Result<T>> => {
    const r = await rpc(client(service), method, request, { ...c, ...md });
    if (r.ok) return { ok: true, value: pickOut(r.body) as T };
    return { ok: false, error: { status: r.codeName, code: r.details?.errorInfo?.reason ?? '', message: r.message, fields: (r.details?.fieldViolations ?? []).map((f) => f.field) } };
  };
  const one = (field: string) => (b: Body) => normalize(b[field]);
  const page = (field: string) => (b: Body) => ({ items: b[field].map(normalize), next_page_token: b.pagination.next_page_token });
  return {
    name: 'gRPC',
    status: (kind) => DESIGN_STATUS[kind][1],
    getTenant: (c) => send('TenantService', 'GetTenant', c, {}, one('tenant')),
    updateTenantSettings: (c, patch: Input) => send('TenantService', 'UpdateTenantSettings', c, patch, one('tenant')),
    createOutlet: (c, input, key) => send('TenantService', 'CreateOutlet', c, input, one('outlet'), key ? { 'idempotency-key': key } : {}),
    getOutlet: (c, id) => send('TenantService', 'GetOutlet', c, { id }, one('outlet')),
    listOutlets: (c, p) => send('TenantService', 'ListOutlets', c, { pagination: p ?? {} }, page('outlets')),
    updateOutlet: (c, id, patch) => send('TenantService', 'UpdateOutlet', c, { id, ...patch }, one('outlet')),
    listRoles: (c) => send('StaffService', 'ListRoles', c, {}, page('roles')),
    createStaffMember: (c, input) => send('StaffService', 'CreateStaffMember', c, input, one('staff_member')),
    getStaffMember: (c, id) => send('StaffService', 'GetStaffMember', c, { id }, one('staff_member')),
    updateStaffMember: (c, id, patch) => send('StaffService', 'UpdateStaffMember', c, { id, ...patch }, one('staff_member')),
    createApiKey: (c, input) => send('StaffService', 'CreateApiKey', c, input, (b) => ({ ...normalize(b.api_key), secret: b.secret })),
    getApiKey: (c, id) => send('StaffService', 'GetApiKey', c, { id }, one('api_key')),
    revokeApiKey: (c, id) => send('StaffService', 'RevokeApiKey', c, { id }, one('api_key')),
  };
}
