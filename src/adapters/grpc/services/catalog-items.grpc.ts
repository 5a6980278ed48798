import type { CreateCategoryInput, CreateProductInput, CreateVariantInput, UpdateCategoryInput, UpdateProductInput, UpdateVariantInput } from '../../../modules/catalog/index.js';
import { validationError } from '../../../platform/errors.js';
import { presentCategory, presentChangesWire, presentVariant } from '../../shared/views/catalog.views.js';
import type { Rpc } from '../rpc-kit.js';
import { idArg, pageArg, pageOut, pick, type RpcRequest } from '../wire.js';
import { listPageArg, optionalId, patchOf, presentLookupWire, presentProductWire, productFilter, productTypeArg, withNumbers } from './catalog-args.grpc.js';

const CATEGORY_FIELDS = ['name', 'parent_id', 'sort_order', 'color', 'image_id', 'active'] as const;
const PRODUCT_FIELDS = ['name', 'description', 'sku', 'category_id', 'tags', 'tax_category_id', 'track_stock', 'active', 'image_id'] as const;
const VARIANT_FIELDS = ['name', 'sku', 'barcodes', 'options', 'cost', 'weight_based', 'sort_order', 'active'] as const;

// The services validate these inputs (parseInput) exactly as for REST; the casts only hand them over.
const newVariant = (v: RpcRequest) => withNumbers(pick(v, VARIANT_FIELDS), ['cost']);
const newProduct = (req: RpcRequest): CreateProductInput =>
  ({
    ...pick(req, PRODUCT_FIELDS),
    ...productTypeArg(req),
    ...(Array.isArray(req.variants) ? { variants: (req.variants as RpcRequest[]).map(newVariant) } : {}),
  }) as CreateProductInput;
const productPatch = (req: RpcRequest): UpdateProductInput =>
  ({
    ...patchOf(req, PRODUCT_FIELDS, { description: null, sku: null, category_id: null, tags: [], tax_category_id: null, image_id: null }),
    ...productTypeArg(req),
  }) as UpdateProductInput;
const variantPatch = (req: RpcRequest): UpdateVariantInput =>
  withNumbers(patchOf(req, VARIANT_FIELDS, { sku: null, barcodes: [], options: {}, cost: null }), ['cost']) as UpdateVariantInput;

/** "none" lists top-level categories only, as REST's parent_id=none. */
const parentFilter = (req: RpcRequest): string | null | undefined => (req.parent_id === 'none' ? null : optionalId(req, 'parent_id'));

/** pos.v1.CatalogService: categories, products and variants, over the same services as /api/v1/categories, /products, /variants. */
export const catalogItemRpcs: Record<string, Rpc> = {
  CreateCategory: {
    write: true,
    handle: async (req, ctx, { services }) => ({ category: presentCategory(await services.catalog.categories.create(ctx, pick(req, CATEGORY_FIELDS) as CreateCategoryInput)) }),
  },
  GetCategory: { handle: async (req, ctx, { services }) => ({ category: presentCategory(await services.catalog.categories.get(ctx, idArg(req))) }) },
  ListCategories: {
    handle: async (req, ctx, { services }) =>
      pageOut(
        'categories',
        await services.catalog.categories.list(ctx, { ...pageArg(req), parentId: parentFilter(req), active: req.active as boolean | undefined, includeArchived: req.include_archived === true }),
        presentCategory,
      ),
  },
  UpdateCategory: {
    write: true,
    handle: async (req, ctx, { services }) => {
      const patch = patchOf(req, CATEGORY_FIELDS, { parent_id: null, color: null, image_id: null }) as UpdateCategoryInput;
      return { category: presentCategory(await services.catalog.categories.update(ctx, idArg(req), patch)) };
    },
  },
  DeleteCategory: { write: true, handle: async (req, ctx, { services }) => ({ category: presentCategory(await services.catalog.categories.archive(ctx, idArg(req))) }) },

  CreateProduct: { write: true, handle: async (req, ctx, { services }) => ({ product: presentProductWire(await services.catalog.products.create(ctx, newProduct(req))) }) },
  GetProduct: {
    handle: async (req, ctx, { services }) => ({
      product: presentProductWire(await services.catalog.products.get(ctx, idArg(req), { includeArchivedVariants: req.include_archived_variants === true })),
    }),
  },
  ListProducts: {
    handle: async (req, ctx, { services }) => {
      const filter = productFilter(req);
      return pageOut('products', await services.catalog.search.products(ctx, { ...listPageArg(req, Boolean(filter.q?.trim())), ...filter }), presentProductWire);
    },
  },
  SearchProducts: {
    handle: async (req, ctx, { services }) => {
      const filter = productFilter(req);
      if (!filter.q?.trim()) throw validationError([{ field: 'q', message: 'is required: the name (or part of it) to search for' }]);
      return pageOut('products', await services.catalog.search.products(ctx, { ...listPageArg(req, true), ...filter }), presentProductWire);
    },
  },
  UpdateProduct: { write: true, handle: async (req, ctx, { services }) => ({ product: presentProductWire(await services.catalog.products.update(ctx, idArg(req), productPatch(req))) }) },
  DeleteProduct: { write: true, handle: async (req, ctx, { services }) => ({ product: presentProductWire(await services.catalog.products.archive(ctx, idArg(req))) }) },
  LookupByBarcode: { handle: async (req, ctx, { services }) => presentLookupWire(await services.catalog.search.lookup(ctx, req.code as string | undefined)) },

  CreateVariant: {
    write: true,
    handle: async (req, ctx, { services }) => ({
      variant: presentVariant(await services.catalog.variants.create(ctx, idArg(req, 'product_id'), newVariant(req) as CreateVariantInput)),
    }),
  },
  GetVariant: { handle: async (req, ctx, { services }) => ({ variant: presentVariant(await services.catalog.variants.get(ctx, idArg(req))) }) },
  ListVariants: {
    handle: async (req, ctx, { services }) =>
      pageOut(
        'variants',
        await services.catalog.variants.listForProduct(ctx, idArg(req, 'product_id'), { ...pageArg(req), includeArchived: req.include_archived === true }),
        presentVariant,
      ),
  },
  UpdateVariant: { write: true, handle: async (req, ctx, { services }) => ({ variant: presentVariant(await services.catalog.variants.update(ctx, idArg(req), variantPatch(req))) }) },
  DeleteVariant: { write: true, handle: async (req, ctx, { services }) => ({ variant: presentVariant(await services.catalog.variants.archive(ctx, idArg(req))) }) },

  GetCatalogChanges: {
    handle: async (req, ctx, { services }) =>
      presentChangesWire(await services.catalog.changes.changes(ctx, { since: (req.since as string | undefined) || undefined, limit: req.limit as number | undefined })),
  },
};
