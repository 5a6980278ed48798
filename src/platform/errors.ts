/**
 * One error type with a closed set of kinds. Each module defines its codes once with `defineError`; the kind
 * maps once to an HTTP status (adapters/http/error-response.ts) and once to a gRPC status
 * (adapters/grpc/error-status.ts). Services throw `AppError`s and never know about transports.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'already_exists'
  | 'precondition'
  | 'conflict'
  | 'idempotency_mismatch'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export interface ErrorDefinition<C extends string = string> {
  readonly code: C;
  readonly kind: ErrorKind;
  readonly message: string;
}

const registry = new Map<string, ErrorDefinition>();

/** Defines an error code; every definition lands in the catalogue that docs/errors.md is generated from. */
export function defineError<C extends string>(code: C, kind: ErrorKind, message: string): ErrorDefinition<C> {
  const existing = registry.get(code);
  if (existing && (existing.kind !== kind || existing.message !== message)) {
    throw new Error(`error code ${code} defined twice with different meanings`);
  }
  const def = { code, kind, message } as const;
  registry.set(code, def);
  return def;
}

export function errorCatalogue(): ErrorDefinition[] {
  return [...registry.values()].sort((a, b) => a.code.localeCompare(b.code));
}

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `items.0.quantity`. */
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly details: Record<string, unknown> | undefined;

  constructor(def: ErrorDefinition, details?: Record<string, unknown>, message?: string) {
    super(message ?? def.message);
    this.name = 'AppError';
    this.code = def.code;
    this.kind = def.kind;
    this.details = details;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** Codes every module shares. */
export const CommonErrors = {
  VALIDATION_FAILED: defineError('VALIDATION_FAILED', 'invalid', 'The request has invalid or missing fields'),
  INVALID_PAGE_TOKEN: defineError('INVALID_PAGE_TOKEN', 'invalid', 'page_token is not a token this list returned'),
  UNAUTHENTICATED: defineError('UNAUTHENTICATED', 'unauthenticated', 'No valid credentials were provided'),
  PERMISSION_DENIED: defineError('PERMISSION_DENIED', 'forbidden', 'The credentials do not allow this operation'),
  TENANT_SUSPENDED: defineError('TENANT_SUSPENDED', 'forbidden', 'The merchant account is suspended'),
  NOT_FOUND: defineError('NOT_FOUND', 'not_found', 'No such resource'),
  IDEMPOTENCY_KEY_REUSED: defineError(
    'IDEMPOTENCY_KEY_REUSED',
    'idempotency_mismatch',
    'This Idempotency-Key was already used with a different request',
  ),
  IDEMPOTENCY_KEY_IN_FLIGHT: defineError(
    'IDEMPOTENCY_KEY_IN_FLIGHT',
    'conflict',
    'A request with this Idempotency-Key is still being processed; retry shortly',
  ),
  INVALID_IDEMPOTENCY_KEY: defineError('INVALID_IDEMPOTENCY_KEY', 'invalid', 'Idempotency-Key must be 1 to 255 printable ASCII characters'),
  RATE_LIMITED: defineError('RATE_LIMITED', 'rate_limited', 'Too many requests; retry after the indicated delay'),
  DATABASE_UNAVAILABLE: defineError('DATABASE_UNAVAILABLE', 'unavailable', 'The database is unavailable; retry shortly'),
  UNAVAILABLE: defineError('UNAVAILABLE', 'unavailable', 'The service is shutting down or not ready; retry shortly'),
  VALUE_NOT_STORABLE: defineError('VALUE_NOT_STORABLE', 'invalid', 'A value cannot be stored (e.g. a NUL character in text, or a number out of range)'),
  PAYLOAD_TOO_LARGE: defineError('PAYLOAD_TOO_LARGE', 'invalid', 'The request body is too large'),
  ROUTE_NOT_FOUND: defineError('ROUTE_NOT_FOUND', 'not_found', 'No such route'),
  INTERNAL: defineError('INTERNAL', 'internal', 'An unexpected error occurred; it has been logged'),
} as const;

export function validationError(issues: FieldIssue[]): AppError {
  const summary = issues.map((i) => `${i.field || '(body)'}: ${i.message}`).join('; ');
  return new AppError(CommonErrors.VALIDATION_FAILED, { fields: issues }, `Invalid request: ${summary}`);
}
