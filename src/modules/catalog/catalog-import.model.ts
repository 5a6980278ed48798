import type { ProductType } from './catalog.schema.js';
import type { RowIssue } from './catalog-import.rows.js';

/** What the import needs to know about the tenant's catalog, loaded in bulk for the rows of one file. */
export interface Snapshot {
  currency: string;
  exponent: number;
  /** Products the file names by id or SKU, and products holding any SKU the file uses. */
  products: Map<string, ExistingProduct>;
  productBySku: Map<string, string>;
  /** Variants of those products, and variants the file names by id or SKU or whose SKU the file uses. */
  variants: Map<string, ExistingVariant>;
  variantBySku: Map<string, string>;
  variantsOfProduct: Map<string, string[]>;
  /** Owner of each barcode the file uses or a loaded variant has. */
  barcodeOwner: Map<string, string>;
  /** Every category that is not archived. */
  categories: ExistingCategory[];
  taxCategoryByCode: Map<string, string>;
  defaultBookId: string | null;
}

export interface ProductColumns {
  id: string;
  sku: string | null;
  name: string;
  description: string | null;
  categoryId: string | null;
  tags: string[];
  taxCategoryId: string | null;
  type: ProductType;
  trackStock: boolean;
  active: boolean;
}

export interface ExistingProduct extends ProductColumns {
  archived: boolean;
}

export interface VariantColumns {
  id: string;
  productId: string;
  sku: string | null;
  name: string;
  options: Record<string, string>;
  cost: bigint | null;
  weightBased: boolean;
  sortOrder: number;
  active: boolean;
}

export interface ExistingVariant extends VariantColumns {
  archived: boolean;
  /** The "Regular" placeholder a product created without variants gets (0004_catalog_core.sql). */
  autoCreated: boolean;
  barcodes: string[];
  /** In the default price book, minor units. */
  price: bigint | null;
}

export interface ExistingCategory {
  id: string;
  parentId: string | null;
  name: string;
}

export interface PlannedChange {
  row: number;
  entity: 'product' | 'variant' | 'category' | 'price';
  action: 'create' | 'update' | 'set' | 'replace_placeholder';
  /** SKU, name or path: what a person recognises. */
  key: string;
  fields?: string[];
}

/** Everything one import would write, decided before anything is written. */
export interface Plan {
  rows: number;
  errors: RowIssue[];
  categories: ExistingCategory[];
  productInserts: ProductColumns[];
  productUpdates: ProductColumns[];
  productsUnchanged: number;
  variantInserts: VariantColumns[];
  variantUpdates: VariantColumns[];
  variantsUnchanged: number;
  /** Variants whose barcode set is replaced (the codes listed are the whole new set). */
  barcodeSets: { variantId: string; codes: string[] }[];
  prices: { variantId: string; amount: bigint; previous: bigint | null }[];
  pricesUnchanged: number;
  /**
   * The default-variant rule of variant.service.ts, applied to imports: a product's untouched placeholder is
   * replaced by the first variants the file adds (deleted unless something references it, then only
   * unflagged); a placeholder the file names becomes the user's own (unflagged).
   */
  placeholders: { replace: string[]; claim: string[] };
  /** Products and variants whose SKU changes: cleared first, so SKUs may move between them in one import. */
  skuMoves: { products: string[]; variants: string[] };
  changes: PlannedChange[];
}

export const MAX_REPORTED_CHANGES = 500;
export const MAX_REPORTED_ERRORS = 1000;

/** The summary both the dry run and the applied import return. */
export function summarize(plan: Plan) {
  return {
    rows: plan.rows,
    products: { create: plan.productInserts.length, update: plan.productUpdates.length, unchanged: plan.productsUnchanged },
    variants: { create: plan.variantInserts.length, update: plan.variantUpdates.length, unchanged: plan.variantsUnchanged },
    categories: { create: plan.categories.length },
    prices: { set: plan.prices.length, unchanged: plan.pricesUnchanged },
    barcodes: { variants_replaced: plan.barcodeSets.length },
  };
}
export type ImportSummary = ReturnType<typeof summarize>;

/** Appends `value` to the list under `key`, starting the list when there is none. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
