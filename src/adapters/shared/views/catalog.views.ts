import { z } from 'zod';
import type { Availability, CatalogChange, Category, ChangePage, LookupHit, ProductWithVariants, VariantWithBarcodes } from '../../../modules/catalog/index.js';
import { iso, timestamp } from './common.js';

export const categoryView = z.object({
  id: z.string(),
  parent_id: z.string().nullable(),
  name: z.string(),
  sort_order: z.number().int(),
  color: z.string().nullable().describe('#RRGGBB'),
  image_id: z.string().nullable(),
  active: z.boolean(),
  archived_at: timestamp().nullable(),
  created_at: timestamp(),
  updated_at: timestamp(),
});

export const presentCategory = (c: Category) => ({
  id: c.id,
  parent_id: c.parentId,
  name: c.name,
  sort_order: c.sortOrder,
  color: c.color,
  image_id: c.imageId,
  active: c.active,
  archived_at: iso(c.archivedAt),
  created_at: iso(c.createdAt)!,
  updated_at: iso(c.updatedAt)!,
});

export const variantView = z.object({
  id: z.string(),
  product_id: z.string(),
  name: z.string(),
  sku: z.string().nullable(),
  barcodes: z.array(z.string()),
  options: z.record(z.string(), z.string()).describe('Option values, e.g. {"size": "L"}'),
  cost: z.number().int().nullable().describe('Unit cost in minor units'),
  weight_based: z.boolean(),
  sort_order: z.number().int(),
  active: z.boolean(),
  archived_at: timestamp().nullable(),
  created_at: timestamp(),
  updated_at: timestamp(),
  price: z
    .object({ amount: z.number().int().describe('Minor units'), currency: z.string(), price_book_id: z.string() })
    .nullable()
    .optional()
    .describe('Only in product lists asked for with_prices=true: the resolved price, null when no book prices the variant'),
});

type ListedVariant = VariantWithBarcodes & { price?: { amount: bigint; currency: string; priceBookId: string } | null };

export const presentVariant = (v: ListedVariant) => ({
  id: v.id,
  product_id: v.productId,
  name: v.name,
  sku: v.sku,
  barcodes: v.barcodes,
  options: v.options,
  cost: v.cost,
  weight_based: v.weightBased,
  sort_order: v.sortOrder,
  active: v.active,
  archived_at: iso(v.archivedAt),
  created_at: iso(v.createdAt)!,
  updated_at: iso(v.updatedAt)!,
  ...(v.price === undefined ? {} : { price: v.price && { amount: v.price.amount, currency: v.price.currency, price_book_id: v.price.priceBookId } }),
});

export const productView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  sku: z.string().nullable(),
  category_id: z.string().nullable(),
  tags: z.array(z.string()),
  tax_category_id: z.string().nullable(),
  type: z.enum(['standard', 'service', 'combo']),
  track_stock: z.boolean(),
  active: z.boolean(),
  archived_at: timestamp().nullable(),
  image_id: z.string().nullable(),
  variants: z.array(variantView).describe('Live variants by sort order (archived ones only when asked for)'),
  created_at: timestamp(),
  updated_at: timestamp(),
});

export const presentProduct = (p: ProductWithVariants) => ({
  id: p.id,
  name: p.name,
  description: p.description,
  sku: p.sku,
  category_id: p.categoryId,
  tags: p.tags,
  tax_category_id: p.taxCategoryId,
  type: p.type,
  track_stock: p.trackStock,
  active: p.active,
  archived_at: iso(p.archivedAt),
  image_id: p.imageId,
  variants: p.variants.map(presentVariant),
  created_at: iso(p.createdAt)!,
  updated_at: iso(p.updatedAt)!,
});

export const availabilityView = z.object({
  product_id: z.string(),
  outlet_id: z.string(),
  available: z.boolean(),
  reason: z.string().nullable(),
  updated_at: timestamp(),
});

export const presentAvailability = (a: Availability) => ({
  product_id: a.productId,
  outlet_id: a.outletId,
  available: a.available,
  reason: a.reason,
  updated_at: iso(a.updatedAt)!,
});

export const lookupView = z.object({
  matched_by: z.enum(['barcode', 'variant_sku', 'product_sku']),
  variant_id: z.string().nullable().describe('The variant the code names; for a product SKU, the only live variant if there is exactly one'),
  product: productView,
});

export const presentLookup = (h: LookupHit) => ({ matched_by: h.matchedBy, variant_id: h.variantId, product: presentProduct(h.product) });

export const changeView = z.object({
  type: z.string(),
  op: z.enum(['upsert', 'delete']),
  id: z.string(),
  seq: z.string().describe('change_seq, decimal'),
  data: z.record(z.string(), z.unknown()).nullable().describe('The row, snake_case; null for a delete'),
});

export const changesView = z.object({
  changes: z.array(changeView),
  next_cursor: z.string().describe('Pass as since= to continue; store it once the page is applied'),
  has_more: z.boolean(),
});

/**
 * A page of changes as the JSON text changesView describes, without parsing and re-serializing each row:
 * `data` is already JSON text rendered by PostgreSQL. A full sync moves hundreds of megabytes of it.
 */
const changeJson = (c: CatalogChange): string => `{"type":${JSON.stringify(c.type)},"op":"${c.op}","id":${JSON.stringify(c.id)},"seq":"${c.seq}","data":${c.dataJson ?? 'null'}}`;
export const changesJson = (p: ChangePage): string => `{"changes":[${p.changes.map(changeJson).join(',')}],"next_cursor":${JSON.stringify(p.nextCursor)},"has_more":${p.hasMore}}`;

/** The same page for gRPC: each row's data stays JSON text (data_json, empty for a delete). */
export const presentChangesWire = (p: ChangePage) => ({
  changes: p.changes.map((c) => ({ type: c.type, op: c.op, id: c.id, seq: c.seq.toString(), data_json: c.dataJson ?? '' })),
  next_cursor: p.nextCursor,
  has_more: p.hasMore,
});
