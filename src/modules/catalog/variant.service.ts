import { sql } from 'drizzle-orm';
import { requirePermission, withTransaction, type Ctx, type TxCtx } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { dropUndefined } from '../../platform/objects.js';
import { readPage, toPage, type Page, type PageRequest } from '../../platform/pagination.js';
import { parseInput } from '../../platform/validation.js';
import { assertBarcodesFree, assertSkusFree, rethrowCatalogUnique } from './catalog-guards.js';
import { recordTombstone, tickCatalogClock } from './catalog-clock.js';
import { CatalogErrors } from './catalog.errors.js';
import { CatalogEvents, recordProductEvent } from './catalog.events.js';
import type { Product } from './catalog.schema.js';
import { productForWrite, productWithVariants } from './product.service.js';
import { createVariantInput, newVariantColumns, updateVariantInput, variantColumns, type CreateVariantInput, type UpdateVariantInput } from './variant.js';
import { variantRepository, type VariantWithBarcodes } from './variant.repository.js';

/**
 * Variants. Every product has at least one: a product created without variants gets a placeholder named
 * "Regular" (flagged auto_created). THE DEFAULT-VARIANT RULE: the first variant created explicitly for a
 * product replaces that placeholder when
 *   - the placeholder is still the product's only variant (live or archived), and
 *   - it was never edited (any update clears the flag: it becomes the user's own variant), and
 *   - the new variant is active (an inactive one could not stand in for it), and
 *   - nothing references it (no price, modifier or order line: a foreign key refusing the delete says so).
 * Then the placeholder is deleted (a tombstone tells registers to drop it) and the product has exactly the
 * variant the user created. Otherwise the placeholder is kept, unflagged, and the new variant is added beside
 * it. So the seed's quick start (CreateProduct, then CreateVariant "Regular" with its own SKU) yields one
 * variant, the one created, with its SKU; creating "Small" and "Large" after a product yields those two.
 */
export class VariantService {
  async create(ctx: Ctx, productId: string, input: CreateVariantInput): Promise<VariantWithBarcodes> {
    requirePermission(ctx, 'pos:catalog:write');
    const i = parseInput(createVariantInput, input);
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      const product = await productForWrite(tx, productId);
      if (i.sku) await assertSkusFree(tx, [{ sku: i.sku, field: 'sku' }]);
      await assertBarcodesFree(tx, (i.barcodes ?? []).map((code) => ({ code, field: 'barcodes' })));
      const placeholder = i.active === false ? undefined : await variantRepository.placeholderOf(tx, productId);
      const [created] = await variantRepository.insertMany(tx, [{ ...newVariantColumns(i), id: uuidv7(), productId, changeSeq: seq }]).catch((e) => rethrowCatalogUnique(e));
      await variantRepository.setBarcodes(tx, created!.id, i.barcodes ?? [], false).catch((e) => rethrowCatalogUnique(e));
      if (placeholder) {
        if (await variantRepository.deleteIfUnreferenced(tx, placeholder)) await recordTombstone(tx, 'variant', placeholder, seq);
        else await variantRepository.clearAutoCreated(tx, placeholder);
      }
      await this.recordChange(tx, product);
      return (await variantRepository.byId(tx, created!.id))!;
    });
  }

  async get(ctx: Ctx, id: string): Promise<VariantWithBarcodes> {
    requirePermission(ctx, 'pos:catalog:read');
    const v = await withTransaction(ctx, (tx) => variantRepository.byId(tx, id));
    if (!v) throw new AppError(CatalogErrors.VARIANT_NOT_FOUND, { id });
    return v;
  }

  async listForProduct(ctx: Ctx, productId: string, req: PageRequest & { includeArchived?: boolean | undefined }): Promise<Page<VariantWithBarcodes>> {
    requirePermission(ctx, 'pos:catalog:read');
    const { limit, after } = readPage(req);
    const rows = await withTransaction(ctx, async (tx) => {
      await productForWrite(tx, productId, true);
      return variantRepository.listForProduct(tx, productId, limit, after, req.includeArchived ?? false);
    });
    return toPage(rows, limit);
  }

  /** `barcodes`, when given, replaces the variant's set. */
  async update(ctx: Ctx, id: string, input: UpdateVariantInput): Promise<VariantWithBarcodes> {
    requirePermission(ctx, 'pos:catalog:write');
    const i = parseInput(updateVariantInput, input);
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      const current = await this.current(tx, id);
      if (current.archivedAt) throw new AppError(CatalogErrors.VARIANT_ARCHIVED, { id });
      const product = await productForWrite(tx, current.productId);
      if (i.active === false && current.active) await this.assertNotLastActive(tx, product, id);
      if (i.sku) await assertSkusFree(tx, [{ sku: i.sku, field: 'sku' }], [id]);
      if (i.barcodes) await assertBarcodesFree(tx, i.barcodes.map((code) => ({ code, field: 'barcodes' })), id);
      await variantRepository.update(tx, id, { ...dropUndefined(variantColumns(i)), changeSeq: seq }).catch((e) => rethrowCatalogUnique(e));
      if (i.barcodes) await variantRepository.setBarcodes(tx, id, i.barcodes, true).catch((e) => rethrowCatalogUnique(e));
      await variantRepository.clearAutoCreated(tx, id);
      await this.recordChange(tx, product);
      return (await variantRepository.byId(tx, id))!;
    });
  }

  /**
   * Archived variants stay readable by id (orders point at them) and leave the product's live variants.
   * The last active variant of an active product cannot be archived. Archiving twice is a no-op.
   */
  async archive(ctx: Ctx, id: string): Promise<VariantWithBarcodes> {
    requirePermission(ctx, 'pos:catalog:write');
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      const current = await this.current(tx, id);
      if (current.archivedAt) return current;
      const product = await productForWrite(tx, current.productId, true);
      if (current.active) await this.assertNotLastActive(tx, product, id);
      await variantRepository.update(tx, id, { archivedAt: sql`now()`, active: false, changeSeq: seq });
      await this.recordChange(tx, product);
      return (await variantRepository.byId(tx, id))!;
    });
  }

  private async current(tx: TxCtx, id: string): Promise<VariantWithBarcodes> {
    const v = await variantRepository.byId(tx, id);
    if (!v) throw new AppError(CatalogErrors.VARIANT_NOT_FOUND, { id });
    return v;
  }

  private async assertNotLastActive(tx: TxCtx, product: Product, variantId: string): Promise<void> {
    if (!product.active || product.archivedAt) return;
    if ((await variantRepository.countActive(tx, product.id, variantId)) === 0) {
      throw new AppError(CatalogErrors.VARIANT_LAST_ACTIVE, { id: variantId, product_id: product.id });
    }
  }

  private async recordChange(tx: TxCtx, product: Product): Promise<void> {
    const { variants } = await productWithVariants(tx, product);
    await recordProductEvent(tx, CatalogEvents.PRODUCT_UPDATED, product, variants, { changed: ['variants'] });
  }
}
