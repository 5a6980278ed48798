import { dataException } from '../../platform/db-errors.js';
import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isConnectionError } from '../../platform/db.js';
import { boundError } from '../shared/error-bounds.js';
import { TRANSPORT_HTTP_STATUS, TransportErrors } from '../shared/transport-errors.js';
import { AppError, CommonErrors, isAppError, validationError, type ErrorKind } from '../../platform/errors.js';

/** The one place an error kind becomes an HTTP status. */
export const HTTP_STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  already_exists: 409,
  precondition: 409,
  conflict: 409,
  idempotency_mismatch: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** Any thrown thing → an AppError the client may see. Unexpected errors become INTERNAL (logged by caller). */
export function toAppError(e: unknown): { error: AppError; unexpected: boolean } {
  if (isAppError(e)) return { error: e, unexpected: false };
  if (hasZodFastifySchemaValidationErrors(e)) {
    const where = (e as { validationContext?: string }).validationContext;
    const prefix = where === 'body' || !where ? '' : where === 'querystring' ? 'query' : where;
    return {
      error: validationError(e.validation.map((v) => ({ field: [prefix, ...String(v.instancePath).split('/').filter(Boolean)].filter(Boolean).join('.'), message: v.message ?? 'is invalid' }))),
      unexpected: false,
    };
  }
  if (isConnectionError(e)) return { error: new AppError(CommonErrors.DATABASE_UNAVAILABLE), unexpected: false };
  const sqlstate = dataException(e);
  if (sqlstate) return { error: new AppError(CommonErrors.VALUE_NOT_STORABLE, { sqlstate }), unexpected: false };
  const fe = e as FastifyError;
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500 && fe.code?.startsWith('FST_')) {
    if (fe.statusCode === 413) return { error: new AppError(CommonErrors.PAYLOAD_TOO_LARGE), unexpected: false };
    if (fe.code === 'FST_ERR_MAX_PARAM_LENGTH') return { error: new AppError(TransportErrors.URI_TOO_LONG, { max_length: MAX_PARAM_LENGTH }), unexpected: false };
    if (fe.statusCode === 404) return { error: new AppError(CommonErrors.ROUTE_NOT_FOUND), unexpected: false };
    return { error: validationError([{ field: '', message: fe.message }]), unexpected: false };
  }
  return { error: new AppError(CommonErrors.INTERNAL), unexpected: true };
}

/** The envelope of every REST error, bounded as gRPC's are (shared/error-bounds.ts). */
export function errorBody(error: AppError): ErrorBody {
  const e = boundError(error);
  return { error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } };
}

/**
 * The kind's status, or a more precise one: 415 for bodies that are not JSON (Fastify reports it with this code),
 * 408/413/414/431 for the transport refusals (shared/transport-errors.ts).
 */
export const statusFor = (e: AppError, original: unknown): number =>
  (original as FastifyError)?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 415 : (TRANSPORT_HTTP_STATUS[e.code] ?? HTTP_STATUS[e.kind]);

/** Longest path parameter Fastify's router accepts (its default); ids are 36 characters, codes far shorter. */
export const MAX_PARAM_LENGTH = 100;
