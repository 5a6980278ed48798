import { z } from 'zod';
import { CHANNELS } from '../../../modules/catalog/index.js';
import {
  availabilityInput,
  createCategoryInput,
  createProductInput,
  createVariantInput,
  MAX_CHANGES_LIMIT,
  updateCategoryInput,
  updateProductInput,
  updateVariantInput,
  type CatalogCoreServices,
} from '../../../modules/catalog/index.js';
import { pageRequestSchema } from '../../../platform/pagination.js';
import { idParams, pageJson, pageView, presentPage } from '../../shared/views/common.js';
import {
  availabilityView,
  categoryView,
  changesView,
  lookupView,
  presentAvailability,
  presentCategory,
  changesJson,
  presentProduct,
  presentVariant,
  productView,
  variantView,
} from '../../shared/views/catalog.views.js';
import { JsonText } from '../json.js';
import type { RouteKit } from '../route-kit.js';

const tags = ['Catalog'];
const flag = () => z.enum(['true', 'false']).transform((v) => v === 'true').optional();
const uuid = () => z.string().uuid('must be a UUID').transform((s) => s.toLowerCase());

const categoryListQuery = pageRequestSchema.extend({
  parent_id: z.union([z.literal('none'), uuid()]).optional().describe('A category id, or "none" for top-level categories'),
  active: flag(),
  include_archived: flag(),
});
const productListQuery = pageRequestSchema.extend({
  q: z.string().max(200).optional().describe('Name search: prefix, substring and typo-tolerant; best match first'),
  category_id: uuid().optional(),
  active: flag(),
  available_at: uuid().optional().describe('Only products not "86"d at this outlet'),
  include_archived: flag(),
  with_prices: flag().describe('Also resolve each variant’s price (for outlet_id, channel, customer_group_id and at)'),
  outlet_id: uuid().optional(),
  channel: z.enum(CHANNELS).optional(),
  customer_group_id: uuid().optional(),
  at: z.iso.datetime({ offset: true }).optional().describe('When to price for (default now)'),
});
const searchQuery = productListQuery.extend({ q: z.string().min(1).max(200) });
const productQuery = z.object({ include_archived_variants: flag() });
const variantListQuery = pageRequestSchema.extend({ include_archived: flag() });
const lookupQuery = z.object({ code: z.string().min(1).max(200).describe('A barcode or SKU') });
const changesQuery = z.object({
  since: z.string().max(300).optional().describe('next_cursor of the previous page; absent or 0 for a full sync'),
  limit: z.coerce.number().int().min(1).max(MAX_CHANGES_LIMIT).optional().describe(`Changes per page: default 1000, max ${MAX_CHANGES_LIMIT}`),
});

const productFilter = (q: z.output<typeof productListQuery>) => ({
  page_size: q.page_size,
  page_token: q.page_token,
  q: q.q,
  categoryId: q.category_id,
  active: q.active,
  availableAt: q.available_at,
  includeArchived: q.include_archived,
  prices: q.with_prices ? { outletId: q.outlet_id, channel: q.channel, customerGroupId: q.customer_group_id, at: q.at ? new Date(q.at) : undefined } : undefined,
});

export function catalogRoutes(r: RouteKit, { categories, products, variants, search, changes }: CatalogCoreServices): void {
  r.post('/api/v1/categories', { summary: 'Create a category', tags, body: createCategoryInput, response: categoryView, status: 201 }, async ({ body }, ctx) => presentCategory(await categories.create(ctx, body)));
  r.get('/api/v1/categories', { summary: 'List categories (archived ones only when asked for)', tags, query: categoryListQuery, response: pageView(categoryView) }, async ({ query }, ctx) =>
    presentPage(await categories.list(ctx, { ...query, parentId: query.parent_id === 'none' ? null : query.parent_id, includeArchived: query.include_archived }), presentCategory),
  );
  r.get('/api/v1/categories/:id', { summary: 'Get a category', tags, params: idParams, response: categoryView }, async ({ params }, ctx) => presentCategory(await categories.get(ctx, params.id)));
  r.patch('/api/v1/categories/:id', { summary: 'Update a category', tags, params: idParams, body: updateCategoryInput, response: categoryView }, async ({ params, body }, ctx) =>
    presentCategory(await categories.update(ctx, params.id, body)),
  );
  r.post('/api/v1/categories/:id/archive', { summary: 'Archive a category', tags, params: idParams, response: categoryView }, async ({ params }, ctx) => presentCategory(await categories.archive(ctx, params.id)));

  r.post('/api/v1/products', { summary: 'Create a product with its variants', tags, body: createProductInput, response: productView, status: 201 }, async ({ body }, ctx) => presentProduct(await products.create(ctx, body)));
  // Without a name search the page comes from the database as JSON text (the registers' hot read); with one,
  // through the search ranking and presenters.
  r.get('/api/v1/products', { summary: 'List or search products with their variants', tags, query: productListQuery, response: pageView(productView) }, async ({ query }, ctx) =>
    query.q?.trim() ? presentPage(await search.products(ctx, productFilter(query)), presentProduct) : new JsonText(pageJson(await search.productPageJson(ctx, productFilter(query)))),
  );
  r.get('/api/v1/catalog/search', { summary: 'Search products by name, typo-tolerant', tags, query: searchQuery, response: pageView(productView) }, async ({ query }, ctx) =>
    presentPage(await search.products(ctx, productFilter(query)), presentProduct),
  );
  r.get('/api/v1/products/:id', { summary: 'Get a product (archived ones too)', tags, params: idParams, query: productQuery, response: productView }, async ({ params, query }, ctx) =>
    presentProduct(await products.get(ctx, params.id, { includeArchivedVariants: query.include_archived_variants })),
  );
  r.patch('/api/v1/products/:id', { summary: 'Update a product', tags, params: idParams, body: updateProductInput, response: productView }, async ({ params, body }, ctx) =>
    presentProduct(await products.update(ctx, params.id, body)),
  );
  r.post('/api/v1/products/:id/archive', { summary: 'Archive a product (kept for historic orders)', tags, params: idParams, response: productView }, async ({ params }, ctx) => presentProduct(await products.archive(ctx, params.id)));
  r.post('/api/v1/products/:id/availability', { summary: 'Make a product unavailable ("86") or available at an outlet', tags, params: idParams, body: availabilityInput, response: availabilityView }, async ({ params, body }, ctx) =>
    presentAvailability(await products.setAvailability(ctx, params.id, body)),
  );
  r.get('/api/v1/products/:id/availability', { summary: 'Per-outlet availability of a product (outlets not listed: available)', tags, params: idParams, response: z.object({ items: z.array(availabilityView) }) }, async ({ params }, ctx) => ({
    items: (await products.availability(ctx, params.id)).map(presentAvailability),
  }));

  r.post('/api/v1/products/:id/variants', { summary: 'Add a variant to a product', tags, params: idParams, body: createVariantInput, response: variantView, status: 201 }, async ({ params, body }, ctx) =>
    presentVariant(await variants.create(ctx, params.id, body)),
  );
  r.get('/api/v1/products/:id/variants', { summary: 'List a product’s variants', tags, params: idParams, query: variantListQuery, response: pageView(variantView) }, async ({ params, query }, ctx) =>
    presentPage(await variants.listForProduct(ctx, params.id, { ...query, includeArchived: query.include_archived }), presentVariant),
  );
  r.get('/api/v1/variants/:id', { summary: 'Get a variant (archived ones too)', tags, params: idParams, response: variantView }, async ({ params }, ctx) => presentVariant(await variants.get(ctx, params.id)));
  r.patch('/api/v1/variants/:id', { summary: 'Update a variant; barcodes replaces the set', tags, params: idParams, body: updateVariantInput, response: variantView }, async ({ params, body }, ctx) =>
    presentVariant(await variants.update(ctx, params.id, body)),
  );
  r.post('/api/v1/variants/:id/archive', { summary: 'Archive a variant', tags, params: idParams, response: variantView }, async ({ params }, ctx) => presentVariant(await variants.archive(ctx, params.id)));

  r.get('/api/v1/catalog/lookup', { summary: 'Find a product by barcode or SKU', tags, query: lookupQuery, response: lookupView }, async ({ query }, ctx) => new JsonText(await search.lookupJson(ctx, query.code)));
  r.get('/api/v1/catalog/changes', { summary: 'Catalog changes since a cursor, for registers to sync', tags, query: changesQuery, response: changesView }, async ({ query }, ctx) =>
    new JsonText(changesJson(await changes.changes(ctx, query))),
  );
}
