import type { Readable } from 'node:stream';
import type { AttachModifierGroupInput, AvailabilityInput, ImageOwnerType, ImportResult, PriceQueryInput } from '../../../modules/catalog/index.js';
import { presentAvailability } from '../../shared/views/catalog.views.js';
import { presentImage } from '../../shared/views/image.views.js';
import * as v from '../../shared/views/pricing.views.js';
import type { Rpc } from '../rpc-kit.js';
import { idArg, pageArg, pageOut, pick } from '../wire.js';

/** ImportResult → ImportCatalogResponse: the REST summary's nested counts flattened where proto has scalars. */
const presentImport = (r: ImportResult) => ({
  dry_run: r.dry_run,
  valid: r.valid,
  applied: r.applied,
  summary: {
    rows: r.summary.rows,
    products: r.summary.products,
    variants: r.summary.variants,
    categories_created: r.summary.categories.create,
    prices_set: r.summary.prices.set,
    prices_unchanged: r.summary.prices.unchanged,
    barcodes_variants_replaced: r.summary.barcodes.variants_replaced,
  },
  errors: r.errors,
  error_count: r.error_count,
  change_seq: r.change_seq ?? 0,
});

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * pos.v1.CatalogService: per-outlet availability, one modifier group at a time, an explained price, image
 * metadata, and CSV import/export — the services behind /api/v1/products/{id}/availability,
 * /products/{id}/modifier-groups, /variants/{id}/price, /images and /catalog/import|export.
 */
export const catalogExtraRpcs: Record<string, Rpc> = {
  SetProductAvailability: {
    write: true,
    handle: async (req, ctx, { services }) => ({
      availability: presentAvailability(await services.catalog.products.setAvailability(ctx, idArg(req, 'product_id'), { ...pick(req, ['outlet_id', 'reason'] as const), available: req.available === true } as AvailabilityInput)),
    }),
  },
  GetProductAvailability: {
    handle: async (req, ctx, { services }) => ({ items: (await services.catalog.products.availability(ctx, idArg(req, 'product_id'))).map(presentAvailability) }),
  },
  AttachModifierGroup: {
    write: true,
    handle: async (req, ctx, { services }) => {
      const productId = idArg(req, 'product_id');
      return v.presentProductModifierGroups(productId, await services.pricing.modifiers.attachGroup(ctx, productId, pick(req, ['modifier_group_id', 'sort_order'] as const) as AttachModifierGroupInput));
    },
  },
  DetachModifierGroup: {
    write: true,
    handle: async (req, ctx, { services }) => {
      const productId = idArg(req, 'product_id');
      return v.presentProductModifierGroups(productId, await services.pricing.modifiers.detachGroup(ctx, productId, idArg(req, 'modifier_group_id')));
    },
  },
  ExplainPrice: {
    handle: async (req, ctx, { services }) => {
      const variantId = idArg(req, 'variant_id');
      return v.presentResolution(variantId, await services.pricing.prices.resolve(ctx, variantId, pick(req, ['outlet_id', 'channel', 'customer_group_id', 'at'] as const) as PriceQueryInput));
    },
  },

  GetImage: { handle: async (req, ctx, { services }) => ({ image: presentImage(await services.images.get(ctx, idArg(req))) }) },
  ListImages: {
    handle: async (req, ctx, { services }) =>
      pageOut('images', await services.images.list(ctx, { owner_type: req.owner_type as ImageOwnerType, owner_id: req.owner_id as string }, pageArg(req)), presentImage),
  },
  DeleteImage: {
    write: true,
    handle: async (req, ctx, { services }) => {
      const id = idArg(req);
      await services.images.delete(ctx, id);
      return { id };
    },
  },

  ImportCatalog: {
    write: true,
    // proto3 cannot tell an unset bool from false, so dry_run is optional: unset means a dry run, as in REST.
    handle: async (req, ctx, { services }) => presentImport(await services.catalogImport.import(ctx, typeof req.csv === 'string' ? req.csv : '', { dryRun: req.dry_run !== false })),
  },
  ExportCatalog: { handle: async (_req, ctx, { services }) => ({ csv: await readAll(await services.catalogExport.stream(ctx)) }) },
};
