import type { TxScope } from '../../platform/context.js';
import { uniqueViolation } from '../../platform/db-errors.js';
import { AppError, validationError, type FieldIssue } from '../../platform/errors.js';
import { CatalogErrors } from './catalog.errors.js';
import { catalogRefRepository, type RefQuery } from './catalog-refs.repository.js';

/**
 * Checks shared by the product and variant services. They run after tickCatalogClock, which holds the
 * tenant's catalog lock to commit, so a check and the write that follows cannot interleave with another
 * catalog writer of the tenant; the unique indexes remain the last word (see rethrowCatalogUnique).
 */

/** Refuses references to rows the tenant does not have, naming each field (`category_id`, …). */
export async function assertRefs(tx: TxScope, q: RefQuery, prefix = ''): Promise<void> {
  const s = await catalogRefRepository.refs(tx, q);
  const issues: FieldIssue[] = [];
  const at = (f: string) => (prefix ? `${prefix}.${f}` : f);
  if (s.category === 'missing') issues.push({ field: at('category_id'), message: 'no such category' });
  if (s.category === 'archived') issues.push({ field: at('category_id'), message: 'the category is archived' });
  if (s.taxCategory === false) issues.push({ field: at('tax_category_id'), message: 'no such tax category' });
  if (s.image === false) issues.push({ field: at('image_id'), message: 'no such image' });
  if (s.outlet === false) issues.push({ field: at('outlet_id'), message: 'no such outlet' });
  if (issues.length) throw validationError(issues);
}

/** `skus[i]` is reported as `fields[i]`; `except` are the rows being changed (they may keep their own SKU). */
export async function assertSkusFree(tx: TxScope, skus: readonly { sku: string; field: string }[], except: readonly string[] = []): Promise<void> {
  const held = await catalogRefRepository.skuHolders(tx, skus.map((s) => s.sku), except);
  const first = held[0];
  if (!first) return;
  const field = skus.find((s) => s.sku === first.sku)?.field ?? 'sku';
  throw new AppError(CatalogErrors.SKU_TAKEN, { field, sku: first.sku, held_by: { type: first.kind, id: first.id } }, `SKU ${first.sku} is already used by another ${first.kind}`);
}

/** `codes[i].field` names where each code came from (`barcodes`, `variants.0.barcodes`). */
export async function assertBarcodesFree(tx: TxScope, codes: readonly { code: string; field: string }[], exceptVariantId?: string): Promise<void> {
  const held = await catalogRefRepository.barcodeHolders(tx, codes.map((c) => c.code), exceptVariantId);
  if (held.length === 0) return;
  const field = codes.find((c) => c.code === held[0]!.code)?.field ?? 'barcodes';
  const taken = held.map((h) => h.code);
  throw new AppError(
    CatalogErrors.BARCODE_TAKEN,
    { field, barcodes: taken, held_by: { type: 'variant', id: held[0]!.variant_id } },
    `Barcode ${taken.join(', ')} already belongs to another variant`,
  );
}

/** A unique index caught what the checks above did not (a writer that skipped the catalog lock): same errors. */
export function rethrowCatalogUnique(e: unknown, fields: { sku: string; barcodes: string } = { sku: 'sku', barcodes: 'barcodes' }): never {
  const constraint = uniqueViolation(e);
  if (constraint?.includes('sku')) throw new AppError(CatalogErrors.SKU_TAKEN, { field: fields.sku });
  if (constraint?.includes('barcodes')) throw new AppError(CatalogErrors.BARCODE_TAKEN, { field: fields.barcodes });
  throw e;
}
