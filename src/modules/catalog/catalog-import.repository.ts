import { sql, type SQL } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { currencyExponent } from '../../platform/money.js';
import type { ProductType } from './catalog.schema.js';
import type { ImportRow } from './catalog-import.rows.js';
import { pushTo, type ExistingProduct, type ExistingVariant, type Snapshot } from './catalog-import.model.js';

const big = (v: unknown): bigint | null => (v === null || v === undefined ? null : BigInt(String(v)));
const uuids = (xs: Iterable<string>) => sql`${sql.param([...new Set(xs)])}::uuid[]`;
const texts = (xs: Iterable<string>) => sql`${sql.param([...new Set(xs)])}::text[]`;

async function query<R>(tx: TxScope, q: SQL): Promise<R[]> {
  return rowsOf<R>(await tx.db.execute(q));
}

type ProductRow = { id: string; sku: string | null; name: string; description: string | null; category_id: string | null; tags: string[]; tax_category_id: string | null; type: ProductType; track_stock: boolean; active: boolean; archived: boolean };
type VariantRow = { id: string; product_id: string; sku: string | null; name: string; options: Record<string, string>; cost: unknown; weight_based: boolean; sort_order: number; active: boolean; archived: boolean; auto_created: boolean };

/**
 * Loads, in a handful of set-based queries, everything the plan needs for these rows: the products and
 * variants they name or whose codes they use, the barcodes involved, categories, tax categories and the
 * default-book prices. Cost grows with the file, not with the catalog (categories aside).
 */
export async function loadSnapshot(tx: TxScope, rows: readonly ImportRow[]): Promise<Snapshot> {
  const t = tx.tenantId;
  const skus = new Set<string>();
  const codes = new Set<string>();
  for (const r of rows) {
    if (r.productSku) skus.add(r.productSku);
    if (r.variantSku) skus.add(r.variantSku);
    for (const c of r.barcodes ?? []) codes.add(c);
  }
  const productIds = rows.flatMap((r) => (r.productId ? [r.productId] : []));
  const variantIds = rows.flatMap((r) => (r.variantId ? [r.variantId] : []));

  const [tenant] = await query<{ currency: string }>(tx, sql`SELECT currency FROM tenants WHERE id = ${t}`);
  const productRows = await query<ProductRow>(
    tx,
    sql`SELECT id, sku, name, description, category_id, tags, tax_category_id, type, track_stock, active, archived_at IS NOT NULL AS archived
        FROM products WHERE tenant_id = ${t} AND (id = ANY(${uuids(productIds)}) OR sku = ANY(${texts(skus)}))`,
  );
  const variantRows = await query<VariantRow>(
    tx,
    sql`SELECT id, product_id, sku, name, options, cost, weight_based, sort_order, active, archived_at IS NOT NULL AS archived, auto_created
        FROM variants WHERE tenant_id = ${t}
          AND (product_id = ANY(${uuids(productRows.map((p) => p.id))}) OR id = ANY(${uuids(variantIds)}) OR sku = ANY(${texts(skus)}))`,
  );
  const loadedVariants = variantRows.map((v) => v.id);
  const barcodeRows = await query<{ code: string; variant_id: string }>(
    tx,
    sql`SELECT code, variant_id FROM barcodes WHERE tenant_id = ${t} AND (code = ANY(${texts(codes)}) OR variant_id = ANY(${uuids(loadedVariants)}))`,
  );
  const categories = await query<{ id: string; parent_id: string | null; name: string }>(tx, sql`SELECT id, parent_id, name FROM categories WHERE tenant_id = ${t} AND archived_at IS NULL`);
  const taxCategories = await query<{ id: string; code: string }>(tx, sql`SELECT id, code FROM tax_categories WHERE tenant_id = ${t}`);
  const [book] = await query<{ id: string }>(tx, sql`SELECT id FROM price_books WHERE tenant_id = ${t} AND is_default`);
  const prices = book
    ? await query<{ variant_id: string; amount: unknown }>(tx, sql`SELECT variant_id, amount FROM prices WHERE tenant_id = ${t} AND price_book_id = ${book.id} AND variant_id = ANY(${uuids(loadedVariants)})`)
    : [];

  const snap: Snapshot = {
    currency: tenant!.currency,
    exponent: currencyExponent(tenant!.currency),
    products: new Map(),
    productBySku: new Map(),
    variants: new Map(),
    variantBySku: new Map(),
    variantsOfProduct: new Map(),
    barcodeOwner: new Map(barcodeRows.map((b) => [b.code, b.variant_id])),
    categories: categories.map((c) => ({ id: c.id, parentId: c.parent_id, name: c.name })),
    taxCategoryByCode: new Map(taxCategories.map((c) => [c.code.toUpperCase(), c.id])),
    defaultBookId: book?.id ?? null,
  };
  for (const p of productRows) {
    const product: ExistingProduct = {
      id: p.id,
      sku: p.sku,
      name: p.name,
      description: p.description,
      categoryId: p.category_id,
      tags: p.tags,
      taxCategoryId: p.tax_category_id,
      type: p.type,
      trackStock: p.track_stock,
      active: p.active,
      archived: p.archived,
    };
    snap.products.set(p.id, product);
    if (p.sku) snap.productBySku.set(p.sku, p.id);
  }
  const priceOf = new Map(prices.map((p) => [p.variant_id, big(p.amount)]));
  const barcodesOf = new Map<string, string[]>();
  for (const b of barcodeRows) pushTo(barcodesOf, b.variant_id, b.code);
  for (const v of variantRows.sort((a, b) => a.sort_order - b.sort_order || (a.id < b.id ? -1 : 1))) {
    const variant: ExistingVariant = {
      id: v.id,
      productId: v.product_id,
      sku: v.sku,
      name: v.name,
      options: v.options,
      cost: big(v.cost),
      weightBased: v.weight_based,
      sortOrder: v.sort_order,
      active: v.active,
      archived: v.archived,
      autoCreated: v.auto_created,
      barcodes: barcodesOf.get(v.id) ?? [],
      price: priceOf.get(v.id) ?? null,
    };
    snap.variants.set(v.id, variant);
    if (v.sku) snap.variantBySku.set(v.sku, v.id);
    pushTo(snap.variantsOfProduct, v.product_id, v.id);
  }
  return snap;
}
