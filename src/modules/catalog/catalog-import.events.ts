import type { Plan, ProductColumns, Snapshot, VariantColumns } from './catalog-import.model.js';
import type { ImportEvent } from './catalog-import.writer.js';

/** Changes per price.changed event; a large import is announced in several. */
const PRICE_CHANGES_PER_EVENT = 1000;

/**
 * The events of an applied import, in the shapes the product and price services record: product.created for
 * new products, product.updated for products whose columns, variants or barcodes changed, price.changed for
 * the default book. Each carries `source: "import"`.
 */
export function importEvents(plan: Plan, snap: Snapshot): ImportEvent[] {
  const variantsBy = new Map<string, (VariantColumns & { barcodes: string[]; archived: boolean })[]>();
  const barcodes = new Map(plan.barcodeSets.map((s) => [s.variantId, s.codes]));
  const finals = new Map([...plan.variantInserts, ...plan.variantUpdates].map((v) => [v.id, v]));
  const changedProducts = new Set<string>(plan.productUpdates.map((p) => p.id));
  for (const v of plan.variantUpdates) changedProducts.add(v.productId);
  for (const v of plan.variantInserts) if (snap.products.has(v.productId)) changedProducts.add(v.productId);
  for (const id of barcodes.keys()) {
    const productId = finals.get(id)?.productId ?? snap.variants.get(id)?.productId;
    if (productId && snap.products.has(productId)) changedProducts.add(productId);
  }

  const add = (v: VariantColumns, archived: boolean) => {
    const list = variantsBy.get(v.productId) ?? [];
    list.push({ ...v, barcodes: barcodes.get(v.id) ?? snap.variants.get(v.id)?.barcodes ?? [], archived });
    variantsBy.set(v.productId, list);
  };
  for (const v of snap.variants.values()) if (!finals.has(v.id)) add(v, v.archived);
  for (const v of finals.values()) add(v, false);

  const payload = (p: ProductColumns) => ({
    product: {
      id: p.id,
      name: p.name,
      sku: p.sku,
      category_id: p.categoryId,
      tax_category_id: p.taxCategoryId,
      type: p.type,
      track_stock: p.trackStock,
      active: p.active,
      archived_at: null,
      variants: (variantsBy.get(p.id) ?? []).map((v) => ({ id: v.id, name: v.name, sku: v.sku, barcodes: v.barcodes, active: v.active, archived: v.archived })),
    },
    source: 'import',
  });

  const events: ImportEvent[] = plan.productInserts.map((p) => ({ type: 'product.created', aggregateType: 'product', aggregateId: p.id, payload: payload(p) }));
  const updated = new Map(plan.productUpdates.map((p) => [p.id, p]));
  for (const id of changedProducts) {
    const existing = snap.products.get(id);
    const p = updated.get(id) ?? existing;
    if (p) events.push({ type: 'product.updated', aggregateType: 'product', aggregateId: id, payload: payload(p) });
  }
  for (let i = 0; i < plan.prices.length; i += PRICE_CHANGES_PER_EVENT) {
    events.push({
      type: 'price.changed',
      aggregateType: 'price_book',
      aggregateId: snap.defaultBookId!,
      payload: {
        price_book_id: snap.defaultBookId,
        price_book_name: 'Default',
        is_default: true,
        outlet_id: null,
        currency: snap.currency,
        changes: plan.prices.slice(i, i + PRICE_CHANGES_PER_EVENT).map((c) => ({ variant_id: c.variantId, amount: Number(c.amount), previous_amount: c.previous === null ? null : Number(c.previous) })),
        source: 'import',
      },
    });
  }
  return events;
}
