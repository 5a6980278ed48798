import type { Client } from '@grpc/grpc-js';
import { rpc, type Body, type TestGrpcServer } from '../support/grpc.js';
import { call } from '../support/server.js';
import { DESIGN_STATUS, type Creds, type Failure, type Input } from './driver.js';

/**
 * The catalog part of the contract: categories, products, variants, SetPrice and lookup, once per transport.
 * Both hand back REST's JSON shapes; the gRPC side turns what proto3 cannot say the same way into them (an unset
 * optional field is null, int64 strings are numbers, enum names are REST's lower-case values).
 */
export interface CatalogFailure extends Failure {
  /** The one field an error blames: error.details.field in REST, ErrorInfo.metadata.field in gRPC. */
  field: string | undefined;
}
export type CatalogResult<T> = { ok: true; value: T } | { ok: false; error: CatalogFailure };

export interface Category {
  id: string;
  parent_id: string | null;
  name: string;
  sort_order: number;
  active: boolean;
  archived_at: string | null;
}
export interface Variant {
  id: string;
  product_id: string;
  name: string;
  sku: string | null;
  barcodes: string[];
  cost: number | null;
  active: boolean;
  archived_at: string | null;
}
export interface Product {
  id: string;
  name: string;
  sku: string | null;
  category_id: string | null;
  type: string;
  active: boolean;
  archived_at: string | null;
  variants: Variant[];
}
export interface Price {
  variant_id: string;
  amount: number;
  currency: string;
  is_default: boolean;
  outlet_id: string | null;
}
export interface Lookup {
  matched_by: string;
  variant_id: string | null;
  product: Product;
}

export interface CatalogDriver {
  readonly name: string;
  status(kind: keyof typeof DESIGN_STATUS): number | string;
  createCategory(c: Creds, input: Input): Promise<CatalogResult<Category>>;
  getCategory(c: Creds, id: string): Promise<CatalogResult<Category>>;
  createProduct(c: Creds, input: Input): Promise<CatalogResult<Product>>;
  getProduct(c: Creds, id: string): Promise<CatalogResult<Product>>;
  listProducts(c: Creds): Promise<CatalogResult<{ items: Product[] }>>;
  archiveProduct(c: Creds, id: string): Promise<CatalogResult<Product>>;
  createVariant(c: Creds, productId: string, input: Input): Promise<CatalogResult<Variant>>;
  getVariant(c: Creds, id: string): Promise<CatalogResult<Variant>>;
  setPrice(c: Creds, input: { variant_id: string; amount: number; currency: string }): Promise<CatalogResult<Price>>;
  lookup(c: Creds, code: string): Promise<CatalogResult<Lookup>>;
}

export function restCatalogDriver(baseUrl: string): CatalogDriver {
  const send = async <T>(method: string, path: string, c: Creds, body?: unknown): Promise<CatalogResult<T>> => {
    const r = await call(baseUrl, method, path, { headers: c, body });
    if (r.status < 400) return { ok: true, value: r.body as T };
    const e = r.body?.error ?? {};
    const fields = Array.isArray(e.details?.fields) ? e.details.fields.map((f: { field: string }) => f.field) : [];
    return { ok: false, error: { status: r.status, code: e.code, message: e.message, fields, field: e.details?.field } };
  };
  return {
    name: 'REST',
    status: (kind) => DESIGN_STATUS[kind][0],
    createCategory: (c, input) => send('POST', '/api/v1/categories', c, input),
    getCategory: (c, id) => send('GET', `/api/v1/categories/${id}`, c),
    createProduct: (c, input) => send('POST', '/api/v1/products', c, input),
    getProduct: (c, id) => send('GET', `/api/v1/products/${id}`, c),
    listProducts: (c) => send('GET', '/api/v1/products', c),
    archiveProduct: (c, id) => send('POST', `/api/v1/products/${id}/archive`, c),
    createVariant: (c, productId, input) => send('POST', `/api/v1/products/${productId}/variants`, c, input),
    getVariant: (c, id) => send('GET', `/api/v1/variants/${id}`, c),
    setPrice: (c, input) => send('POST', '/api/v1/prices', c, input),
    lookup: (c, code) => send('GET', `/api/v1/catalog/lookup?code=${encodeURIComponent(code)}`, c),
  };
}

/** Per resource, the optional fields a gRPC client sees as absent where REST JSON says null. */
const NULLABLE: Record<string, string[]> = {
  category: ['parent_id', 'color', 'image_id', 'archived_at'],
  product: ['description', 'sku', 'category_id', 'tax_category_id', 'image_id', 'archived_at'],
  variant: ['sku', 'cost', 'archived_at'],
  price: ['outlet_id'],
};

/** A gRPC message as REST JSON: without proto-loader's `_x` presence markers, null for unset, numbers for int64. */
function normalize(kind: keyof typeof NULLABLE, v: Body): Body {
  const out: Body = {};
  for (const [k, x] of Object.entries(v as object)) if (!(k.startsWith('_') && x === k.slice(1))) out[k] = x;
  for (const k of NULLABLE[kind]!) out[k] ??= null;
  for (const k of ['cost', 'amount']) if (typeof out[k] === 'string') out[k] = Number(out[k]);
  if (typeof out.type === 'string') out.type = out.type.toLowerCase();
  if (Array.isArray(out.variants)) out.variants = out.variants.map((x: Body) => normalize('variant', x));
  return out;
}

export function grpcCatalogDriver(server: TestGrpcServer): CatalogDriver {
  let client: Client | undefined;
  const send = async <T>(method: string, c: Creds, request: object, pickOut: (b: Body) => Body): Promise<CatalogResult<T>> => {
    client ??= server.client('CatalogService');
    const r = await rpc(client, method, request, c);
    if (r.ok) return { ok: true, value: pickOut(r.body) as T };
    const info = r.details?.errorInfo;
    return {
      ok: false,
      error: { status: r.codeName, code: info?.reason ?? '', message: r.message, fields: (r.details?.fieldViolations ?? []).map((f) => f.field), field: info?.metadata.field },
    };
  };
  const one = (field: keyof typeof NULLABLE) => (b: Body) => normalize(field, b[field]);
  return {
    name: 'gRPC',
    status: (kind) => DESIGN_STATUS[kind][1],
    createCategory: (c, input) => send('CreateCategory', c, input, one('category')),
    getCategory: (c, id) => send('GetCategory', c, { id }, one('category')),
    createProduct: (c, input) => send('CreateProduct', c, { ...input, ...(typeof input.type === 'string' ? { type: input.type.toUpperCase() } : {}) }, one('product')),
    getProduct: (c, id) => send('GetProduct', c, { id }, one('product')),
    listProducts: (c) => send('ListProducts', c, {}, (b) => ({ items: b.products.map((p: Body) => normalize('product', p)) })),
    archiveProduct: (c, id) => send('DeleteProduct', c, { id }, one('product')),
    createVariant: (c, productId, input) => send('CreateVariant', c, { product_id: productId, ...input }, one('variant')),
    getVariant: (c, id) => send('GetVariant', c, { id }, one('variant')),
    setPrice: (c, input) => send('SetPrice', c, { ...input, amount: String(input.amount) }, one('price')),
    lookup: (c, code) => send('LookupByBarcode', c, { code }, (b) => ({ matched_by: b.matched_by.toLowerCase(), variant_id: b.variant_id ?? null, product: normalize('product', b.product) })),
  };
}
