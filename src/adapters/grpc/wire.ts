import { AppError, isAppError, validationError, type FieldIssue } from '../../platform/errors.js';
import { readPage, type Page, type PageRequest } from '../../platform/pagination.js';
import { uuidField } from '../../platform/validation.js';
import { presentPage } from '../shared/views/common.js';

/** A decoded request: snake_case fields; absent fields are undefined, int64 are strings, enums their names. */
export type RpcRequest = Record<string, unknown>;

/**
 * Presenter output → a protobuf-ready object: bigint minor units become decimal strings (int64 in proto JSON, as
 * seed 000 shows), null becomes absent (an unset optional field), dates become RFC 3339, bytes stay bytes.
 */
export function toWire(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value === null) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return value; // bytes fields (Buffer is one) go out as they are
  if (Array.isArray(value)) return value.map(toWire);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const w = toWire(v);
      if (w !== undefined) out[k] = w;
    }
    return out;
  }
  return value;
}

/**
 * The request's own fields, at every level: without the `_x` markers proto-loader's `oneofs` option adds for
 * proto3 optional fields (`_name: 'name'`), so handlers and the idempotency hash see only what the client sent.
 */
export function cleanRequest(req: RpcRequest): RpcRequest {
  const out: RpcRequest = {};
  for (const [k, v] of Object.entries(req ?? {})) {
    if (k.startsWith('_') && v === k.slice(1)) continue;
    out[k] = clean(v);
  }
  return out;
}

const clean = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(clean) : v !== null && typeof v === 'object' && !Buffer.isBuffer(v) ? cleanRequest(v as RpcRequest) : v;

/** The listed fields that were set. Services validate them (parseInput), so both transports refuse alike. */
export function pick<K extends string>(req: RpcRequest, keys: readonly K[]): Partial<Record<K, unknown>> {
  const out: Partial<Record<K, unknown>> = {};
  for (const k of keys) if (req[k] !== undefined) out[k] = req[k];
  return out;
}

const uuid = uuidField();

/** A required id field, refused with its name when it is not a UUID (REST refuses a bad path id the same way). */
export function idArg(req: RpcRequest, field = 'id'): string {
  const r = uuid.safeParse(req[field] ?? '');
  if (!r.success) throw validationError([{ field, message: req[field] ? 'must be a UUID' : 'is required' }]);
  return r.data;
}

/** int64 fields arrive as strings; services take numbers. A value beyond 2^53 stays a string and fails validation. */
export function int64Arg(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

/**
 * A list request's PaginationRequest as the services take it, checked here first so that a bad page size or
 * token is blamed on the field where this request holds it (`pagination.page_size`).
 */
export function pageArg(req: RpcRequest): PageRequest {
  const p = (req.pagination ?? {}) as { page_size?: number; page_token?: string };
  const page = { page_size: p.page_size, page_token: p.page_token };
  try {
    readPage(page);
  } catch (e) {
    throw isAppError(e) ? underField('pagination', e) : e;
  }
  return page;
}

/** The same error with its field names moved under `parent`. */
function underField(parent: string, e: AppError): AppError {
  const d = e.details ?? {};
  const fields = Array.isArray(d.fields) ? (d.fields as FieldIssue[]).map((f) => ({ ...f, field: `${parent}.${f.field}` })) : undefined;
  const field = typeof d.field === 'string' ? `${parent}.${d.field}` : undefined;
  return new AppError(e, { ...d, ...(fields ? { fields } : {}), ...(field ? { field } : {}) }, e.message);
}

/** A page as a list response: `{ <items>: [...], pagination: { next_page_token, total_count } }`. */
export function pageOut<T, V>(itemsField: string, page: Page<T>, present: (t: T) => V): Record<string, unknown> {
  const p = presentPage(page, present);
  return { [itemsField]: p.items, pagination: { next_page_token: p.next_page_token, total_count: p.total_count } };
}
