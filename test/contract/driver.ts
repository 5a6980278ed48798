import type { ErrorKind } from '../../src/platform/errors.js';

/**
 * What the contract scenarios can do, once per transport. Each driver speaks its own protocol and hands back
 * the same shapes (REST JSON and gRPC messages carry the same snake_case fields), so one scenario checks both.
 */
export type Creds = Record<string, string>;

export interface Failure {
  /** HTTP status (REST) or gRPC status name (gRPC). */
  status: number | string;
  /** The Kasir error code: error.code in REST, ErrorInfo.reason in gRPC. */
  code: string;
  message: string;
  /** Fields the error names: error.details.fields in REST, BadRequest field violations in gRPC. */
  fields: string[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: Failure };

export interface Page<T> {
  items: T[];
  next_page_token: string;
}

export interface Outlet {
  id: string;
  code: string;
  name: string;
  city: string | null;
  time_zone: string;
  business_day_cutoff: string;
  active: boolean;
}

export interface Tenant {
  id: string;
  currency: string;
  time_zone: string;
  cash_rounding_unit: number;
}

export interface Role {
  id: string;
  key: string;
  permissions: string[];
}

export interface StaffMember {
  id: string;
  user_id: string;
  role_id: string;
  display_name: string;
  email: string | null;
  active: boolean;
}

export interface ApiKey {
  id: string;
  name: string;
  last4: string;
  permissions: string[];
  revoked_at: string | null;
}

export type Input = Record<string, unknown>;
export interface PageQuery {
  page_size?: number;
  page_token?: string;
}

export interface Driver {
  readonly name: string;
  /** What this transport answers for an error kind, as DESIGN.md's table says. */
  status(kind: ErrorKind): number | string;
  getTenant(c: Creds): Promise<Result<Tenant>>;
  updateTenantSettings(c: Creds, patch: Input): Promise<Result<Tenant>>;
  createOutlet(c: Creds, input: Input, idempotencyKey?: string): Promise<Result<Outlet>>;
  getOutlet(c: Creds, id: string): Promise<Result<Outlet>>;
  listOutlets(c: Creds, page?: PageQuery): Promise<Result<Page<Outlet>>>;
  updateOutlet(c: Creds, id: string, patch: Input): Promise<Result<Outlet>>;
  listRoles(c: Creds): Promise<Result<Page<Role>>>;
  createStaffMember(c: Creds, input: Input): Promise<Result<StaffMember>>;
  getStaffMember(c: Creds, id: string): Promise<Result<StaffMember>>;
  updateStaffMember(c: Creds, id: string, patch: Input): Promise<Result<StaffMember>>;
  createApiKey(c: Creds, input: Input): Promise<Result<ApiKey & { secret: string }>>;
  getApiKey(c: Creds, id: string): Promise<Result<ApiKey>>;
  revokeApiKey(c: Creds, id: string): Promise<Result<ApiKey>>;
}

/** DESIGN.md's error table, written out here rather than imported, so the suite checks the code against it. */
export const DESIGN_STATUS: Record<ErrorKind, [number, string]> = {
  invalid: [400, 'INVALID_ARGUMENT'],
  unauthenticated: [401, 'UNAUTHENTICATED'],
  forbidden: [403, 'PERMISSION_DENIED'],
  not_found: [404, 'NOT_FOUND'],
  already_exists: [409, 'ALREADY_EXISTS'],
  precondition: [409, 'FAILED_PRECONDITION'],
  conflict: [409, 'ABORTED'],
  idempotency_mismatch: [422, 'INVALID_ARGUMENT'],
  rate_limited: [429, 'RESOURCE_EXHAUSTED'],
  unavailable: [503, 'UNAVAILABLE'],
  internal: [500, 'INTERNAL'],
};

/** The value of a success; fails the test with the error otherwise. */
export function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected success, got ${r.error.status} ${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** The failure of a call that must fail; fails the test otherwise. */
export function failure<T>(r: Result<T>): Failure {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.value)}`);
  return r.error;
}
