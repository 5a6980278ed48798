import type { TxScope } from '../../platform/context.js';
import { recordEvent } from '../../platform/outbox.js';
import type { Product } from './catalog.schema.js';
import type { VariantWithBarcodes } from './variant.repository.js';

/** Events of the catalog core, recorded in the outbox in the transaction of the change. */
export const CatalogEvents = {
  PRODUCT_CREATED: 'product.created',
  /** Any change to the product, its variants or its availability at an outlet; `changed` says which. */
  PRODUCT_UPDATED: 'product.updated',
  PRODUCT_ARCHIVED: 'product.archived',
} as const;
export type CatalogEventType = (typeof CatalogEvents)[keyof typeof CatalogEvents];

/** What a webhook receiver gets: the product as the API shows it, compactly (no internal columns). */
export function productEventPayload(p: Product, variants: readonly VariantWithBarcodes[]) {
  return {
    id: p.id,
    name: p.name,
    sku: p.sku,
    category_id: p.categoryId,
    tax_category_id: p.taxCategoryId,
    type: p.type,
    track_stock: p.trackStock,
    active: p.active,
    archived_at: p.archivedAt ? p.archivedAt.toISOString() : null,
    variants: variants.map((v) => ({ id: v.id, name: v.name, sku: v.sku, barcodes: v.barcodes, active: v.active, archived: v.archivedAt !== null })),
  };
}

export async function recordProductEvent(
  tx: TxScope,
  type: CatalogEventType,
  product: Product,
  variants: readonly VariantWithBarcodes[],
  extra: Record<string, unknown> = {},
): Promise<void> {
  await recordEvent(tx, { type, aggregateType: 'product', aggregateId: product.id, payload: { product: productEventPayload(product, variants), ...extra } });
}
