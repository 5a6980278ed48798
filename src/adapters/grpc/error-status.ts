import { dataException } from '../../platform/db-errors.js';
import { join } from 'node:path';
import { Metadata, status, type StatusObject } from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { isConnectionError } from '../../platform/db.js';
import { AppError, CommonErrors, isAppError, type ErrorKind, type FieldIssue } from '../../platform/errors.js';
import { PROTO_DIR } from './protos.js';

/** The one place an error kind becomes a gRPC status (DESIGN.md's table). */
export const GRPC_STATUS: Record<ErrorKind, status> = {
  invalid: status.INVALID_ARGUMENT,
  unauthenticated: status.UNAUTHENTICATED,
  forbidden: status.PERMISSION_DENIED,
  not_found: status.NOT_FOUND,
  already_exists: status.ALREADY_EXISTS,
  precondition: status.FAILED_PRECONDITION,
  conflict: status.ABORTED,
  idempotency_mismatch: status.INVALID_ARGUMENT,
  rate_limited: status.RESOURCE_EXHAUSTED,
  unavailable: status.UNAVAILABLE,
  internal: status.INTERNAL,
};

/** google.rpc.ErrorInfo.domain of every Kasir error. */
export const ERROR_DOMAIN = 'kasir';
/** Trailer that carries a serialized google.rpc.Status, as every gRPC implementation reads it. */
export const STATUS_DETAILS_KEY = 'grpc-status-details-bin';

const rpc = new protobuf.Root().loadSync([join(PROTO_DIR, 'google/rpc/status.proto'), join(PROTO_DIR, 'google/rpc/error_details.proto')], { keepCase: true });
const StatusType = rpc.lookupType('google.rpc.Status');
const ErrorInfoType = rpc.lookupType('google.rpc.ErrorInfo');
const RetryInfoType = rpc.lookupType('google.rpc.RetryInfo');
const BadRequestType = rpc.lookupType('google.rpc.BadRequest');
const TYPE_URL_PREFIX = 'type.googleapis.com/';

const packAny = (type: protobuf.Type, value: object) => ({
  type_url: TYPE_URL_PREFIX + type.fullName.slice(1),
  value: type.encode(type.fromObject(value)).finish(),
});

/** Any thrown thing → an AppError a client may see. Unexpected errors become INTERNAL (the caller logs them). */
export function toAppError(e: unknown): { error: AppError; unexpected: boolean } {
  if (isAppError(e)) return { error: e, unexpected: false };
  if (isConnectionError(e)) return { error: new AppError(CommonErrors.DATABASE_UNAVAILABLE), unexpected: false };
  const sqlstate = dataException(e);
  if (sqlstate) return { error: new AppError(CommonErrors.VALUE_NOT_STORABLE, { sqlstate }), unexpected: false };
  return { error: new AppError(CommonErrors.INTERNAL), unexpected: true };
}

/** Which request fields an error blames: validation issues, or the single `field` some errors name. */
function fieldIssues(e: AppError): FieldIssue[] {
  const fields = e.details?.fields;
  if (Array.isArray(fields)) return fields as FieldIssue[];
  if (typeof e.details?.field === 'string') return [{ field: e.details.field, message: e.message }];
  return [];
}

/**
 * An AppError as a gRPC status: the kind's code, the human message, and in the trailers a google.rpc.Status
 * whose ErrorInfo carries the Kasir code (reason), domain "kasir" and the details as strings; invalid requests
 * add a BadRequest naming each field, rate limits a RetryInfo (and a plain `retry-after` trailer, in seconds).
 */
export function toGrpcStatus(e: AppError): Pick<StatusObject, 'code' | 'details' | 'metadata'> {
  const code = GRPC_STATUS[e.kind];
  const metadata = new Metadata();
  const info: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.details ?? {})) {
    if (k === 'fields' || v === undefined) continue;
    info[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  const details = [packAny(ErrorInfoType, { reason: e.code, domain: ERROR_DOMAIN, metadata: info })];
  const issues = fieldIssues(e);
  if (issues.length > 0) {
    details.push(packAny(BadRequestType, { field_violations: issues.map((i) => ({ field: i.field, description: i.message })) }));
  }
  if (e.kind === 'rate_limited') {
    const seconds = Number(e.details?.retry_after_seconds ?? 1);
    details.push(packAny(RetryInfoType, { retry_delay: { seconds, nanos: 0 } }));
    metadata.set('retry-after', String(seconds));
  }
  const body = StatusType.encode(StatusType.fromObject({ code, message: e.message, details })).finish();
  metadata.set(STATUS_DETAILS_KEY, Buffer.from(body));
  return { code, details: e.message, metadata };
}

export interface StatusDetails {
  code: number;
  message: string;
  errorInfo?: { reason: string; domain: string; metadata: Record<string, string> };
  fieldViolations?: { field: string; description: string }[];
  retryDelaySeconds?: number;
}

/** Reads the google.rpc.Status of a failed call's trailers (for Node clients and the tests). */
export function decodeStatusDetails(trailers: Metadata | undefined): StatusDetails | undefined {
  const raw = trailers?.get(STATUS_DETAILS_KEY)[0];
  if (!raw || typeof raw === 'string') return undefined;
  const s = StatusType.toObject(StatusType.decode(raw), { longs: Number, defaults: true }) as {
    code: number;
    message: string;
    details: { type_url: string; value: Uint8Array }[];
  };
  const out: StatusDetails = { code: s.code, message: s.message };
  for (const d of s.details) {
    const name = d.type_url.slice(d.type_url.lastIndexOf('/') + 1);
    const type = name === 'google.rpc.ErrorInfo' ? ErrorInfoType : name === 'google.rpc.BadRequest' ? BadRequestType : name === 'google.rpc.RetryInfo' ? RetryInfoType : undefined;
    if (!type) continue;
    const v: unknown = type.toObject(type.decode(d.value), { longs: Number, defaults: true });
    if (type === ErrorInfoType) out.errorInfo = v as StatusDetails['errorInfo'];
    if (type === BadRequestType) out.fieldViolations = (v as { field_violations: StatusDetails['fieldViolations'] }).field_violations;
    if (type === RetryInfoType) out.retryDelaySeconds = (v as { retry_delay?: { seconds: number } }).retry_delay?.seconds;
  }
  return out;
}
