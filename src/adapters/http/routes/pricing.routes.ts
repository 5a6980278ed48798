import { z } from 'zod';
import {
  applicableTaxRulesQuery,
  attachModifierGroupInput,
  createModifierGroupInput,
  createModifierInput,
  createPriceBookInput,
  createTaxCategoryInput,
  createTaxRuleInput,
  priceQueryInput,
  resolvePricesInput,
  setBookPricesInput,
  setPriceInput,
  setProductModifierGroupsInput,
  updateModifierGroupInput,
  updateModifierInput,
  updatePriceBookInput,
  updateTaxCategoryInput,
  updateTaxRuleInput,
  variantPriceInput,
  type CatalogPricingServices,
} from '../../../modules/catalog/index.js';
import { pageRequestSchema } from '../../../platform/pagination.js';
import { idParams, pageView, presentPage } from '../../shared/views/common.js';
import * as v from '../../shared/views/pricing.views.js';
import type { RouteKit } from '../route-kit.js';

const flag = () => z.enum(['true', 'false']).transform((s) => s === 'true').optional();
const uuid = () => z.string().uuid('must be a UUID').transform((s) => s.toLowerCase());
const bookListQuery = pageRequestSchema.extend({ active: flag(), include_archived: flag(), outlet_id: uuid().optional() });
const archivedQuery = pageRequestSchema.extend({ include_archived: flag() });
const ruleListQuery = archivedQuery.extend({ tax_category_id: uuid().optional(), outlet_id: uuid().optional() });
const linkParams = z.object({ id: uuid(), group_id: uuid() });

export function pricingRoutes(r: RouteKit, { prices, priceBooks, modifiers, taxes }: CatalogPricingServices): void {
  let tags = ['Prices'];
  r.put('/api/v1/variants/:id/price', { summary: 'Set the variant’s price (SetPrice): default price book, or the outlet’s with outlet_id', tags, params: idParams, body: variantPriceInput, response: v.priceView }, async ({ params, body }, ctx) =>
    v.presentPrice(await prices.setVariantPrice(ctx, params.id, body)),
  );
  r.post('/api/v1/prices', { summary: 'SetPrice exactly as seed 000: {variant_id, amount, currency}', tags, body: setPriceInput, response: v.priceView }, async ({ body }, ctx) => v.presentPrice(await prices.setPrice(ctx, body)));
  r.get(
    '/api/v1/variants/:id/price',
    { summary: 'The price that applies at an outlet, channel, customer group and time, with which book won and why', tags, params: idParams, query: priceQueryInput, response: v.resolvedPriceView },
    async ({ params, query }, ctx) => v.presentResolution(params.id, await prices.resolve(ctx, params.id, query)),
  );
  r.get('/api/v1/variants/:id/prices', { summary: 'Every price of the variant, in every book', tags, params: idParams, response: v.variantPricesView }, async ({ params }, ctx) =>
    v.presentVariantPrices(params.id, await prices.listVariantPrices(ctx, params.id)),
  );
  r.post('/api/v1/prices/resolve', { summary: 'Resolve the prices of up to 100 variants at once (a page of products)', tags, body: resolvePricesInput, response: v.resolvedPricesView }, async ({ body }, ctx) =>
    v.presentResolvedPrices(await prices.resolveMany(ctx, body)),
  );

  tags = ['Price books'];
  r.post('/api/v1/price-books', { summary: 'Create a price book', tags, body: createPriceBookInput, response: v.priceBookView, status: 201 }, async ({ body }, ctx) => v.presentPriceBook(await priceBooks.create(ctx, body)));
  r.get('/api/v1/price-books', { summary: 'List price books', tags, query: bookListQuery, response: pageView(v.priceBookView) }, async ({ query }, ctx) => presentPage(await priceBooks.list(ctx, query), v.presentPriceBook));
  r.get('/api/v1/price-books/:id', { summary: 'Get a price book', tags, params: idParams, response: v.priceBookView }, async ({ params }, ctx) => v.presentPriceBook(await priceBooks.get(ctx, params.id)));
  r.patch('/api/v1/price-books/:id', { summary: 'Update a price book; null clears a condition', tags, params: idParams, body: updatePriceBookInput, response: v.priceBookView }, async ({ params, body }, ctx) =>
    v.presentPriceBook(await priceBooks.update(ctx, params.id, body)),
  );
  r.post('/api/v1/price-books/:id/archive', { summary: 'Archive a price book (not the default one)', tags, params: idParams, response: v.priceBookView }, async ({ params }, ctx) =>
    v.presentPriceBook(await priceBooks.archive(ctx, params.id)),
  );
  r.get('/api/v1/price-books/:id/prices', { summary: 'The prices in a book, by variant id', tags, params: idParams, query: pageRequestSchema, response: pageView(v.bookPriceView) }, async ({ params, query }, ctx) =>
    presentPage(await priceBooks.listPrices(ctx, params.id, query), v.presentBookPrice),
  );
  r.patch('/api/v1/price-books/:id/prices', { summary: 'Set and remove many prices of a book in one transaction', tags, params: idParams, body: setBookPricesInput, response: v.bookPricesResultView }, async ({ params, body }, ctx) =>
    v.presentBookPricesResult(await priceBooks.setPrices(ctx, params.id, body)),
  );

  tags = ['Modifiers'];
  r.post('/api/v1/modifier-groups', { summary: 'Create a modifier group with its modifiers', tags, body: createModifierGroupInput, response: v.modifierGroupView, status: 201 }, async ({ body }, ctx) =>
    v.presentModifierGroup(await modifiers.createGroup(ctx, body)),
  );
  r.get('/api/v1/modifier-groups', { summary: 'List modifier groups with their modifiers', tags, query: archivedQuery, response: pageView(v.modifierGroupView) }, async ({ query }, ctx) =>
    presentPage(await modifiers.listGroups(ctx, query), v.presentModifierGroup),
  );
  r.get('/api/v1/modifier-groups/:id', { summary: 'Get a modifier group', tags, params: idParams, response: v.modifierGroupView }, async ({ params }, ctx) => v.presentModifierGroup(await modifiers.getGroup(ctx, params.id)));
  r.patch('/api/v1/modifier-groups/:id', { summary: 'Update a modifier group', tags, params: idParams, body: updateModifierGroupInput, response: v.modifierGroupView }, async ({ params, body }, ctx) =>
    v.presentModifierGroup(await modifiers.updateGroup(ctx, params.id, body)),
  );
  r.post('/api/v1/modifier-groups/:id/archive', { summary: 'Archive a modifier group', tags, params: idParams, response: v.modifierGroupView }, async ({ params }, ctx) =>
    v.presentModifierGroup(await modifiers.archiveGroup(ctx, params.id)),
  );
  r.post('/api/v1/modifier-groups/:id/modifiers', { summary: 'Add a modifier to a group', tags, params: idParams, body: createModifierInput, response: v.modifierView, status: 201 }, async ({ params, body }, ctx) =>
    v.presentModifier(await modifiers.addModifier(ctx, params.id, body)),
  );
  r.get('/api/v1/modifiers/:id', { summary: 'Get a modifier', tags, params: idParams, response: v.modifierView }, async ({ params }, ctx) => v.presentModifier(await modifiers.getModifier(ctx, params.id)));
  r.patch('/api/v1/modifiers/:id', { summary: 'Update a modifier', tags, params: idParams, body: updateModifierInput, response: v.modifierView }, async ({ params, body }, ctx) =>
    v.presentModifier(await modifiers.updateModifier(ctx, params.id, body)),
  );
  r.post('/api/v1/modifiers/:id/archive', { summary: 'Archive a modifier', tags, params: idParams, response: v.modifierView }, async ({ params }, ctx) => v.presentModifier(await modifiers.archiveModifier(ctx, params.id)));
  r.get('/api/v1/products/:id/modifier-groups', { summary: 'The product’s modifier groups, in order', tags, params: idParams, response: v.productModifierGroupsView }, async ({ params }, ctx) =>
    v.presentProductModifierGroups(params.id, await modifiers.productGroups(ctx, params.id)),
  );
  r.put(
    '/api/v1/products/:id/modifier-groups',
    { summary: 'Replace the product’s modifier groups with an ordered list', tags, params: idParams, body: setProductModifierGroupsInput, response: v.productModifierGroupsView },
    async ({ params, body }, ctx) => v.presentProductModifierGroups(params.id, await modifiers.setProductGroups(ctx, params.id, body)),
  );
  r.post('/api/v1/products/:id/modifier-groups', { summary: 'Attach one modifier group (409 if already attached)', tags, params: idParams, body: attachModifierGroupInput, response: v.productModifierGroupsView }, async ({ params, body }, ctx) =>
    v.presentProductModifierGroups(params.id, await modifiers.attachGroup(ctx, params.id, body)),
  );
  r.delete('/api/v1/products/:id/modifier-groups/:group_id', { summary: 'Detach a modifier group from the product', tags, params: linkParams, response: v.productModifierGroupsView }, async ({ params }, ctx) =>
    v.presentProductModifierGroups(params.id, await modifiers.detachGroup(ctx, params.id, params.group_id)),
  );

  tags = ['Tax'];
  r.post('/api/v1/tax-categories', { summary: 'Create a tax category', tags, body: createTaxCategoryInput, response: v.taxCategoryView, status: 201 }, async ({ body }, ctx) => v.presentTaxCategory(await taxes.createCategory(ctx, body)));
  r.get('/api/v1/tax-categories', { summary: 'List tax categories', tags, query: pageRequestSchema, response: pageView(v.taxCategoryView) }, async ({ query }, ctx) => presentPage(await taxes.listCategories(ctx, query), v.presentTaxCategory));
  r.get('/api/v1/tax-categories/:id', { summary: 'Get a tax category', tags, params: idParams, response: v.taxCategoryView }, async ({ params }, ctx) => v.presentTaxCategory(await taxes.getCategory(ctx, params.id)));
  r.patch('/api/v1/tax-categories/:id', { summary: 'Update a tax category', tags, params: idParams, body: updateTaxCategoryInput, response: v.taxCategoryView }, async ({ params, body }, ctx) =>
    v.presentTaxCategory(await taxes.updateCategory(ctx, params.id, body)),
  );
  r.delete('/api/v1/tax-categories/:id', { summary: 'Delete an unused tax category', tags, params: idParams, status: 204 }, async ({ params }, ctx) => taxes.deleteCategory(ctx, params.id));
  r.post('/api/v1/tax-rules', { summary: 'Create a tax rule', tags, body: createTaxRuleInput, response: v.taxRuleView, status: 201 }, async ({ body }, ctx) => v.presentTaxRule(await taxes.createRule(ctx, body)));
  r.get('/api/v1/tax-rules', { summary: 'List tax rules', tags, query: ruleListQuery, response: pageView(v.taxRuleView) }, async ({ query }, ctx) => presentPage(await taxes.listRules(ctx, query), v.presentTaxRule));
  r.get('/api/v1/tax-rules/applicable', { summary: 'The rules that apply to a line, in application order', tags, query: applicableTaxRulesQuery, response: v.taxRuleListView }, async ({ query }, ctx) => ({
    items: (await taxes.applicable(ctx, query)).map(v.presentTaxRule),
  }));
  r.get('/api/v1/tax-rules/:id', { summary: 'Get a tax rule', tags, params: idParams, response: v.taxRuleView }, async ({ params }, ctx) => v.presentTaxRule(await taxes.getRule(ctx, params.id)));
  r.patch('/api/v1/tax-rules/:id', { summary: 'Update a tax rule', tags, params: idParams, body: updateTaxRuleInput, response: v.taxRuleView }, async ({ params, body }, ctx) => v.presentTaxRule(await taxes.updateRule(ctx, params.id, body)));
  r.post('/api/v1/tax-rules/:id/archive', { summary: 'Archive a tax rule', tags, params: idParams, response: v.taxRuleView }, async ({ params }, ctx) => v.presentTaxRule(await taxes.archiveRule(ctx, params.id)));
}
