import { joinCategoryPath } from './catalog-csv.js';
import type { ImportRow, RowIssue } from './catalog-import.rows.js';
import { MAX_REPORTED_CHANGES, pushTo, type ExistingProduct, type Plan, type PlannedChange, type ProductColumns, type Snapshot, type VariantColumns } from './catalog-import.model.js';
import { planVariants } from './catalog-import.variants.js';
import { findConflicts } from './catalog-import.conflicts.js';

/** The product columns of the file, with the ImportRow field and the column name of each. */
const PRODUCT_FIELDS = [
  ['productSku', 'product_sku'],
  ['productName', 'product_name'],
  ['description', 'description'],
  ['categoryPath', 'category'],
  ['tags', 'tags'],
  ['type', 'type'],
  ['taxCategoryCode', 'tax_category'],
  ['trackStock', 'track_stock'],
  ['active', 'active'],
] as const;
type ProductField = (typeof PRODUCT_FIELDS)[number][0];

export interface ProductGroup {
  /** The product's id: its own when it exists, a new one otherwise. */
  id: string;
  existing: ExistingProduct | undefined;
  rows: ImportRow[];
  final: ProductColumns;
}

/** Shared by the planning steps: the plan being filled and how to report. */
export class PlanBook {
  readonly plan: Plan;
  /** Every variant the file names (created, changed or not), with its row and its columns afterwards. */
  readonly fileVariants = new Map<string, { row: number; final: VariantColumns }>();
  constructor(
    readonly snap: Snapshot,
    readonly newId: () => string,
    rows: number,
    issues: RowIssue[],
  ) {
    this.plan = {
      rows,
      errors: [...issues],
      categories: [],
      productInserts: [],
      productUpdates: [],
      productsUnchanged: 0,
      variantInserts: [],
      variantUpdates: [],
      variantsUnchanged: 0,
      barcodeSets: [],
      prices: [],
      pricesUnchanged: 0,
      placeholders: { replace: [], claim: [] },
      skuMoves: { products: [], variants: [] },
      changes: [],
    };
  }
  error(row: number, column: string, message: string): void {
    this.plan.errors.push({ row, column, message });
  }
  change(c: PlannedChange): void {
    if (this.plan.changes.length < MAX_REPORTED_CHANGES) this.plan.changes.push(c);
  }
}

/**
 * Decides everything an import would do, from the rows and a snapshot of the catalog, without writing:
 * products are matched by product_id, else by SKU; variants by variant_id, else SKU, else name (see
 * catalog-import.variants.ts); categories by path, created when missing. Every problem is reported with its
 * row and column. The dry run returns this plan; the import applies it only when it has no errors.
 */
export function planImport(rows: ImportRow[], issues: RowIssue[], snap: Snapshot, newId: () => string): Plan {
  const book = new PlanBook(snap, newId, rows.length, issues);
  const groups = new Map<string, ImportRow[]>();
  for (const row of rows) {
    const key = productKey(book, row);
    if (key === undefined) continue;
    pushTo(groups, key, row);
  }
  const categories = new CategoryResolver(book);
  const planned: ProductGroup[] = [];
  for (const [key, groupRows] of groups) {
    const existing = key.startsWith('new:') ? undefined : snap.products.get(key);
    const group = planProduct(book, categories, existing, groupRows);
    if (group) planned.push(group);
  }
  for (const group of planned) planVariants(book, group);
  findConflicts(book, planned);
  book.plan.errors.sort((a, b) => a.row - b.row);
  return book.plan;
}

function productKey(book: PlanBook, row: ImportRow): string | undefined {
  if (row.productId) {
    const p = book.snap.products.get(row.productId);
    if (!p) book.error(row.row, 'product_id', 'no product has this id');
    else if (p.archived) book.error(row.row, 'product_id', 'the product is archived; restore it before importing into it');
    else return p.id;
    return undefined;
  }
  if (!row.productSku) return undefined;
  const id = book.snap.productBySku.get(row.productSku);
  if (!id) return `new:${row.productSku}`;
  if (book.snap.products.get(id)!.archived) {
    book.error(row.row, 'product_sku', `SKU ${row.productSku} belongs to an archived product`);
    return undefined;
  }
  return id;
}

/** The value of a product field across the product's rows: the non-blank values must agree. */
function merged(book: PlanBook, rows: ImportRow[], field: ProductField, column: string): { present: boolean; value: unknown } {
  let present = false;
  let first: { row: number; json: string; value: unknown } | undefined;
  for (const r of rows) {
    const v = r[field];
    if (v === undefined) continue;
    present = true;
    if (v === null) continue;
    // Category paths resolve case-insensitively, so they agree case-insensitively too.
    const json = field === 'categoryPath' ? JSON.stringify(v).toLowerCase() : JSON.stringify(v);
    if (!first) first = { row: r.row, json, value: v };
    else if (json !== first.json) book.error(r.row, column, `differs from row ${first.row} of the same product (${JSON.stringify(first.value)})`);
  }
  return { present, value: first ? first.value : null };
}

function planProduct(book: PlanBook, categories: CategoryResolver, existing: ExistingProduct | undefined, rows: ImportRow[]): ProductGroup | undefined {
  const first = rows[0]!;
  const m = Object.fromEntries(PRODUCT_FIELDS.map(([f, c]) => [f, merged(book, rows, f, c)])) as Record<ProductField, { present: boolean; value: unknown }>;
  /** The field's new value: absent column keeps the old one; blank cell gives `blank`. */
  const pick = <T>(f: ProductField, old: T, blank: T, map: (v: never) => T = (v) => v as T): T => (!m[f].present ? old : m[f].value === null ? blank : map(m[f].value as never));

  if (!existing && m.productName.value === null) {
    book.error(first.row, 'product_name', 'a new product needs a name');
    return undefined;
  }
  const categoryId = (path: string[]) => categories.resolve(path, first.row);
  const taxId = (code: string) => {
    const id = book.snap.taxCategoryByCode.get(code.toUpperCase());
    if (!id) book.error(first.row, 'tax_category', `no tax category has the code ${code}`);
    return id ?? null;
  };
  const type = pick('type', existing?.type ?? 'standard', 'standard');
  const final: ProductColumns = {
    id: existing?.id ?? book.newId(),
    sku: pick('productSku', existing?.sku ?? null, null),
    name: pick('productName', existing?.name ?? '', existing?.name ?? ''),
    description: pick('description', existing?.description ?? null, null),
    categoryId: pick('categoryPath', existing?.categoryId ?? null, null, categoryId),
    tags: pick('tags', existing?.tags ?? [], []),
    taxCategoryId: pick('taxCategoryCode', existing?.taxCategoryId ?? null, null, taxId),
    type,
    trackStock: pick('trackStock', existing?.trackStock ?? type !== 'service', type !== 'service'),
    active: pick('active', existing?.active ?? true, true),
  };
  const key = final.sku ?? final.name;
  if (!existing) {
    book.plan.productInserts.push(final);
    book.change({ row: first.row, entity: 'product', action: 'create', key });
  } else {
    const fields = (Object.keys(final) as (keyof ProductColumns)[]).filter((k) => JSON.stringify(final[k]) !== JSON.stringify(existing[k]));
    if (fields.length) {
      book.plan.productUpdates.push(final);
      book.change({ row: first.row, entity: 'product', action: 'update', key, fields });
      if (fields.includes('sku') && existing.sku !== null) book.plan.skuMoves.products.push(existing.id);
    } else book.plan.productsUnchanged++;
  }
  return { id: final.id, existing, rows, final };
}

/** Finds categories by path (names compared case-insensitively, oldest first) and plans the missing ones. */
class CategoryResolver {
  private readonly index = new Map<string, string>();
  constructor(private readonly book: PlanBook) {
    const sorted = [...book.snap.categories].sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const c of sorted) {
      const k = this.key(c.parentId, c.name);
      if (!this.index.has(k)) this.index.set(k, c.id);
    }
  }
  private key = (parentId: string | null, name: string) => `${parentId ?? ''}/${name.toLowerCase()}`;
  resolve(path: string[], row: number): string {
    let parent: string | null = null;
    path.forEach((name, depth) => {
      const k = this.key(parent, name);
      let id = this.index.get(k);
      if (!id) {
        id = this.book.newId();
        this.index.set(k, id);
        this.book.plan.categories.push({ id, parentId: parent, name });
        this.book.change({ row, entity: 'category', action: 'create', key: joinCategoryPath(path.slice(0, depth + 1)) });
      }
      parent = id;
    });
    return parent!;
  }
}
