import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { requirePermission, withTransaction, type Ctx, type TxCtx } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { dropUndefined } from '../../platform/objects.js';
import { parseInput } from '../../platform/validation.js';
import { assertBarcodesFree, assertRefs, assertSkusFree, rethrowCatalogUnique } from './catalog-guards.js';
import { tickCatalogClock } from './catalog-clock.js';
import { CatalogErrors } from './catalog.errors.js';
import { CatalogEvents, recordProductEvent } from './catalog.events.js';
import type { Product } from './catalog.schema.js';
import { availabilityInput, createProductInput, productColumns, updateProductInput, type AvailabilityInput, type CreateProductInput, type UpdateProductInput } from './product.js';
import { productRepository, type Availability, type ProductWithVariants } from './product.repository.js';
import { DEFAULT_VARIANT_NAME, newVariantColumns } from './variant.js';
import { variantRepository } from './variant.repository.js';

type CreateProduct = z.output<typeof createProductInput>;

/** Loads a product for a write; 404 for an unknown id or another tenant's. */
export async function productForWrite(tx: TxCtx, id: string, allowArchived = false): Promise<Product> {
  const p = await productRepository.byId(tx, id);
  if (!p) throw new AppError(CatalogErrors.PRODUCT_NOT_FOUND, { id });
  if (p.archivedAt && !allowArchived) throw new AppError(CatalogErrors.PRODUCT_ARCHIVED, { id });
  return p;
}

export async function productWithVariants(tx: TxCtx, p: Product): Promise<ProductWithVariants> {
  const [withVariants] = await productRepository.attachVariants(tx, [p]);
  return withVariants!;
}

export class ProductService {
  /**
   * Creates a product and its variants in one transaction: the `variants` given, or else one variant named
   * "Regular" flagged as an auto-created placeholder (replaced by the first variant created explicitly; see
   * VariantService.create).
   */
  async create(ctx: Ctx, input: CreateProductInput): Promise<ProductWithVariants> {
    requirePermission(ctx, 'pos:catalog:write');
    const i = parseInput(createProductInput, input);
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      await this.assertCodesFree(tx, i);
      await assertRefs(tx, { categoryId: i.category_id, taxCategoryId: i.tax_category_id, imageId: i.image_id });
      const type = i.type ?? 'standard';
      const active = i.active ?? true;
      const given = i.variants ?? [];
      if (active && given.length > 0 && !given.some((v) => v.active !== false)) {
        throw new AppError(CatalogErrors.PRODUCT_NEEDS_ACTIVE_VARIANT, { field: 'variants' }, 'An active product needs at least one active variant: mark one of variants active');
      }
      const product = await productRepository
        .insert(tx, {
          ...dropUndefined(productColumns(i)),
          id: uuidv7(),
          name: i.name,
          tags: i.tags ?? [],
          type,
          trackStock: i.track_stock ?? type !== 'service',
          active,
          changeSeq: seq,
        })
        .catch((e) => rethrowCatalogUnique(e));
      const rows = given.length ? given.map((v) => ({ ...newVariantColumns(v), id: uuidv7(), productId: product.id, changeSeq: seq })) : [{ ...newVariantColumns({ name: DEFAULT_VARIANT_NAME }), id: uuidv7(), productId: product.id, changeSeq: seq }];
      const created = await variantRepository.insertMany(tx, rows).catch((e) => rethrowCatalogUnique(e));
      if (given.length === 0) await variantRepository.markAutoCreated(tx, created[0]!.id);
      const barcodes = given.flatMap((v, vi) => (v.barcodes ?? []).map((code) => ({ code, variantId: created[vi]!.id })));
      await variantRepository.insertBarcodes(tx, barcodes).catch((e) => rethrowCatalogUnique(e));
      const result = await productWithVariants(tx, product);
      await recordProductEvent(tx, CatalogEvents.PRODUCT_CREATED, product, result.variants);
      return result;
    });
  }

  async get(ctx: Ctx, id: string, opts: { includeArchivedVariants?: boolean } = {}): Promise<ProductWithVariants> {
    requirePermission(ctx, 'pos:catalog:read');
    return withTransaction(ctx, async (tx) => {
      const p = await productRepository.byId(tx, id);
      if (!p) throw new AppError(CatalogErrors.PRODUCT_NOT_FOUND, { id });
      return (await productRepository.attachVariants(tx, [p], opts.includeArchivedVariants))[0]!;
    });
  }

  async update(ctx: Ctx, id: string, input: UpdateProductInput): Promise<ProductWithVariants> {
    requirePermission(ctx, 'pos:catalog:write');
    const i = parseInput(updateProductInput, input);
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      const current = await productForWrite(tx, id);
      if (i.sku) await assertSkusFree(tx, [{ sku: i.sku, field: 'sku' }], [id]);
      await assertRefs(tx, { categoryId: i.category_id, taxCategoryId: i.tax_category_id, imageId: i.image_id });
      if (i.active === true && !current.active && (await variantRepository.countActive(tx, id)) === 0) {
        throw new AppError(CatalogErrors.PRODUCT_NEEDS_ACTIVE_VARIANT, { field: 'active', id });
      }
      const patch = dropUndefined(productColumns(i));
      const product = (await productRepository.update(tx, id, { ...patch, changeSeq: seq }).catch((e) => rethrowCatalogUnique(e)))!;
      const result = await productWithVariants(tx, product);
      await recordProductEvent(tx, CatalogEvents.PRODUCT_UPDATED, product, result.variants, { changed: Object.keys(dropUndefined(i)) });
      return result;
    });
  }

  /**
   * Archiving never deletes: the product stays readable by id (historic orders point at it) but leaves lists,
   * search and lookup, and is no longer sellable. Archiving twice is a no-op.
   */
  async archive(ctx: Ctx, id: string): Promise<ProductWithVariants> {
    requirePermission(ctx, 'pos:catalog:write');
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      const current = await productForWrite(tx, id, true);
      if (current.archivedAt) return productWithVariants(tx, current);
      const product = (await productRepository.update(tx, id, { archivedAt: sql`now()`, active: false, changeSeq: seq }))!;
      const result = await productWithVariants(tx, product);
      await recordProductEvent(tx, CatalogEvents.PRODUCT_ARCHIVED, product, result.variants);
      return result;
    });
  }

  /** "86"s a product at one outlet (available: false), or brings it back. */
  async setAvailability(ctx: Ctx, id: string, input: AvailabilityInput): Promise<Availability> {
    requirePermission(ctx, 'pos:catalog:write');
    const i = parseInput(availabilityInput, input);
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      const product = await productForWrite(tx, id);
      await assertRefs(tx, { outletId: i.outlet_id });
      const row = await productRepository.setAvailability(tx, { productId: id, outletId: i.outlet_id, available: i.available, reason: i.reason ?? null, changeSeq: seq });
      await recordProductEvent(tx, CatalogEvents.PRODUCT_UPDATED, product, (await productWithVariants(tx, product)).variants, {
        changed: ['availability'],
        availability: { outlet_id: row.outletId, available: row.available, reason: row.reason },
      });
      return row;
    });
  }

  async availability(ctx: Ctx, id: string): Promise<Availability[]> {
    requirePermission(ctx, 'pos:catalog:read');
    return withTransaction(ctx, async (tx) => {
      await productForWrite(tx, id, true);
      return productRepository.availability(tx, id);
    });
  }

  private async assertCodesFree(tx: TxCtx, i: CreateProduct): Promise<void> {
    const skus = [...(i.sku ? [{ sku: i.sku, field: 'sku' }] : []), ...(i.variants ?? []).flatMap((v, vi) => (v.sku ? [{ sku: v.sku, field: `variants.${vi}.sku` }] : []))];
    await assertSkusFree(tx, skus);
    await assertBarcodesFree(tx, (i.variants ?? []).flatMap((v, vi) => (v.barcodes ?? []).map((code) => ({ code, field: `variants.${vi}.barcodes` }))));
  }
}
