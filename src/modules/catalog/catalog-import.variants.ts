import type { ImportRow } from './catalog-import.rows.js';
import type { ExistingVariant, VariantColumns } from './catalog-import.model.js';
import type { PlanBook, ProductGroup } from './catalog-import.plan.js';

/** The variant a row without a variant name means (the name a product created without variants gets). */
export const DEFAULT_VARIANT_NAME = 'Regular';

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/**
 * Which variant of the product a row is: by variant_id; else by variant_sku; else by name (blank = "Regular"),
 * case-insensitive, among the product's variants that are not archived (when a SKU was given but no variant
 * has it, only among variants without a SKU, so the row gives that variant its SKU). undefined = a new one;
 * null = an error was reported.
 */
function matchVariant(book: PlanBook, group: ProductGroup, row: ImportRow, live: ExistingVariant[]): ExistingVariant | undefined | null {
  const own = (v: ExistingVariant | undefined, column: string, what: string): ExistingVariant | null => {
    if (!v || v.productId !== group.id) {
      book.error(row.row, column, v ? `${what} belongs to a variant of another product` : `no variant of this product has this id`);
      return null;
    }
    if (v.archived) {
      book.error(row.row, column, `${what} belongs to an archived variant; restore it first`);
      return null;
    }
    return v;
  };
  if (row.variantId) return own(book.snap.variants.get(row.variantId), 'variant_id', 'this id');
  if (row.variantSku) {
    const id = book.snap.variantBySku.get(row.variantSku);
    if (id) return own(book.snap.variants.get(id), 'variant_sku', `SKU ${row.variantSku}`);
  }
  const name = (row.variantName ?? DEFAULT_VARIANT_NAME).toLowerCase();
  const named = live.filter((v) => v.name.toLowerCase() === name && (!row.variantSku || v.sku === null));
  if (named.length > 1) {
    book.error(row.row, 'variant_name', `${named.length} variants of this product are named ${row.variantName ?? DEFAULT_VARIANT_NAME}; add variant_id or variant_sku to say which`);
    return null;
  }
  return named[0];
}

/** Plans the variants, barcodes and default-book prices of one product's rows. */
export function planVariants(book: PlanBook, group: ProductGroup): void {
  const { snap, plan } = book;
  const live = group.existing ? (snap.variantsOfProduct.get(group.id) ?? []).map((id) => snap.variants.get(id)!).filter((v) => !v.archived) : [];
  let nextSort = live.reduce((max, v) => Math.max(max, v.sortOrder + 1), 0);
  const seen = new Map<string, number>();
  const added: { row: number; active: boolean }[] = [];

  for (const row of group.rows) {
    const existing = matchVariant(book, group, row, live);
    if (existing === null) continue;
    const identity = existing ? existing.id : `new:${row.variantSku ?? `name:${(row.variantName ?? DEFAULT_VARIANT_NAME).toLowerCase()}`}`;
    const before = seen.get(identity);
    if (before !== undefined) {
      book.error(row.row, row.variantId ? 'variant_id' : row.variantSku ? 'variant_sku' : 'variant_name', `the same variant as row ${before}`);
      continue;
    }
    seen.set(identity, row.row);

    const keep = <T>(given: T | null | undefined, old: T, blank: T): T => (given === undefined ? old : given === null ? blank : given);
    const final: VariantColumns = {
      id: existing?.id ?? book.newId(),
      productId: group.id,
      sku: keep(row.variantSku, existing?.sku ?? null, null),
      name: keep(row.variantName, existing?.name ?? DEFAULT_VARIANT_NAME, existing?.name ?? DEFAULT_VARIANT_NAME),
      options: row.options ?? existing?.options ?? {},
      cost: keep(row.cost, existing?.cost ?? null, null),
      weightBased: keep(row.weightBased, existing?.weightBased ?? false, false),
      sortOrder: existing?.sortOrder ?? nextSort++,
      active: keep(row.variantActive, existing?.active ?? true, true),
    };
    book.fileVariants.set(final.id, { row: row.row, final });
    const codes = keep(row.barcodes, existing?.barcodes ?? [], []);
    const barcodesChanged = !sameSet(codes, existing?.barcodes ?? []);
    if (barcodesChanged) plan.barcodeSets.push({ variantId: final.id, codes });
    const key = final.sku ?? `${group.final.sku ?? group.final.name} / ${final.name}`;

    if (!existing) {
      plan.variantInserts.push(final);
      added.push({ row: row.row, active: final.active });
      book.change({ row: row.row, entity: 'variant', action: 'create', key });
    } else {
      const fields: string[] = (Object.keys(final) as (keyof VariantColumns)[]).filter((k) => stable(final[k]) !== stable(existing[k]));
      if (barcodesChanged) fields.push('barcodes');
      if (fields.length) {
        plan.variantUpdates.push(final);
        book.change({ row: row.row, entity: 'variant', action: 'update', key, fields });
        if (fields.includes('sku') && existing.sku !== null) plan.skuMoves.variants.push(existing.id);
      } else plan.variantsUnchanged++;
    }

    if (row.price !== undefined && row.price !== null) {
      const previous = existing?.price ?? null;
      if (previous === row.price) plan.pricesUnchanged++;
      else {
        plan.prices.push({ variantId: final.id, amount: row.price, previous });
        book.change({ row: row.row, entity: 'price', action: 'set', key });
      }
    }
  }
  planPlaceholder(book, group, added);
}

/** The default-variant rule (see Plan.placeholders), for one product after its rows are planned. */
function planPlaceholder(book: PlanBook, group: ProductGroup, added: { row: number; active: boolean }[]): void {
  if (!group.existing) return;
  const all = (book.snap.variantsOfProduct.get(group.id) ?? []).map((id) => book.snap.variants.get(id)!);
  const placeholder = all.length === 1 && all[0]!.autoCreated && !all[0]!.archived ? all[0]! : undefined;
  if (!placeholder) return;
  if (book.fileVariants.has(placeholder.id)) book.plan.placeholders.claim.push(placeholder.id);
  else {
    const first = added.find((a) => a.active);
    if (!first) return;
    book.plan.placeholders.replace.push(placeholder.id);
    book.change({ row: first.row, entity: 'variant', action: 'replace_placeholder', key: `${group.final.sku ?? group.final.name} / ${placeholder.name}` });
  }
}

/** JSON with sorted object keys and bigints as strings, for comparing column values. */
function stable(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    typeof x === 'bigint' ? x.toString() : x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x,
  );
}
