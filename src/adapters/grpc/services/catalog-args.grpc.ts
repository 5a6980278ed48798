import type { LookupHit, ProductWithVariants } from '../../../modules/catalog/index.js';
import { validationError, type FieldIssue } from '../../../platform/errors.js';
import type { PageRequest } from '../../../platform/pagination.js';
import { presentLookup, presentProduct } from '../../shared/views/catalog.views.js';
import { idArg, int64Arg, pageArg, pick, type RpcRequest } from '../wire.js';

/**
 * What pos.v1.CatalogService handlers share: reading optional ids, list filters and update patches from a
 * decoded request, and the two places where the proto differs from the REST JSON (enum names in upper case).
 * Everything else the services validate (parseInput), so both transports refuse the same input alike.
 */

/** An optional id field (a list filter): absent or empty is "any"; anything else must be a UUID, refused naming the field. */
export function optionalId(req: RpcRequest, field: string): string | undefined {
  const v = req[field];
  return v === undefined || v === '' ? undefined : idArg(req, field);
}

/** The value an update gives a field named in clear_fields: null, or an empty list or map. */
export type Cleared = null | readonly [] | Readonly<Record<string, never>>;

/**
 * An update's input: the listed fields that were set, plus the fields named in clear_fields set to their empty
 * value (proto3 cannot send null or an empty list). A name that cannot be cleared, or a field both set and
 * cleared, is refused naming clear_fields.
 */
export function patchOf<K extends string>(req: RpcRequest, keys: readonly K[], clearable: Partial<Record<K, Cleared>>): Partial<Record<K, unknown>> {
  const out = pick(req, keys);
  const names = Array.isArray(req.clear_fields) ? (req.clear_fields as string[]) : [];
  const issues: FieldIssue[] = [];
  const allowed = Object.keys(clearable).join(', ') || 'none';
  for (const name of names) {
    if (!Object.hasOwn(clearable, name)) issues.push({ field: 'clear_fields', message: `${name} cannot be cleared (clearable: ${allowed})` });
    else if (out[name as K] !== undefined) issues.push({ field: 'clear_fields', message: `${name} is both set and cleared` });
    else out[name as K] = clearable[name as K];
  }
  if (issues.length > 0) throw validationError(issues);
  return out;
}

/** int64 fields the services take as JSON numbers (money fields take the decimal string as it is). */
export function withNumbers<T extends Record<string, unknown>>(input: T, fields: readonly string[]): T {
  const out: Record<string, unknown> = { ...input };
  for (const f of fields) if (out[f] !== undefined && out[f] !== null) out[f] = int64Arg(out[f]);
  return out as T;
}

/** The page of a list that may be a name search: a search's page token is not an id, so only the size is checked here. */
export function listPageArg(req: RpcRequest, searching: boolean): PageRequest {
  if (!searching) return pageArg(req);
  const p = (req.pagination ?? {}) as PageRequest;
  pageArg({ pagination: { page_size: p.page_size } });
  return { page_size: p.page_size, page_token: p.page_token };
}

/** The product filters of ListProducts and SearchProducts, checked as REST checks its query string. */
export function productFilter(req: RpcRequest) {
  const q = typeof req.q === 'string' ? req.q : undefined;
  if (q !== undefined && q.length > 200) throw validationError([{ field: 'q', message: 'must be at most 200 characters' }]);
  return {
    q,
    categoryId: optionalId(req, 'category_id'),
    active: req.active as boolean | undefined,
    availableAt: optionalId(req, 'available_at'),
    includeArchived: req.include_archived === true,
  };
}

/** ProductType on the wire is STANDARD | SERVICE | COMBO; the services speak standard | service | combo. */
export function productTypeArg(req: RpcRequest): { type?: unknown } {
  const t = req.type;
  if (t === undefined || t === 'PRODUCT_TYPE_UNSPECIFIED') return {};
  return { type: typeof t === 'string' ? t.toLowerCase() : t };
}

export const presentProductWire = (p: ProductWithVariants) => ({ ...presentProduct(p), type: p.type.toUpperCase() });

export const presentLookupWire = (h: LookupHit) => ({ ...presentLookup(h), matched_by: h.matchedBy.toUpperCase(), product: presentProductWire(h.product) });
