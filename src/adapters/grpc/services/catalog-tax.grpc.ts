import type { CreateTaxCategoryInput, CreateTaxRuleInput, UpdateTaxCategoryInput, UpdateTaxRuleInput } from '../../../modules/catalog/index.js';
import * as v from '../../shared/views/pricing.views.js';
import type { Rpc } from '../rpc-kit.js';
import { idArg, pageArg, pageOut, pick } from '../wire.js';
import { optionalId, patchOf } from './catalog-args.grpc.js';

const CATEGORY_FIELDS = ['code', 'name'] as const;
const RULE_FIELDS = ['name', 'rate_bps', 'inclusive', 'compound', 'sequence', 'tax_category_id', 'outlet_id', 'order_types', 'exempt_tax_category_ids', 'active'] as const;

/** pos.v1.CatalogService: tax categories and tax rules, over the same services as /api/v1/tax-categories and /tax-rules. */
export const catalogTaxRpcs: Record<string, Rpc> = {
  // The services validate these inputs (parseInput) exactly as for REST; the casts only hand them over.
  CreateTaxCategory: {
    write: true,
    handle: async (req, ctx, { services }) => ({ tax_category: v.presentTaxCategory(await services.pricing.taxes.createCategory(ctx, pick(req, CATEGORY_FIELDS) as CreateTaxCategoryInput)) }),
  },
  GetTaxCategory: { handle: async (req, ctx, { services }) => ({ tax_category: v.presentTaxCategory(await services.pricing.taxes.getCategory(ctx, idArg(req))) }) },
  ListTaxCategories: { handle: async (req, ctx, { services }) => pageOut('tax_categories', await services.pricing.taxes.listCategories(ctx, pageArg(req)), v.presentTaxCategory) },
  UpdateTaxCategory: {
    write: true,
    handle: async (req, ctx, { services }) => ({
      tax_category: v.presentTaxCategory(await services.pricing.taxes.updateCategory(ctx, idArg(req), pick(req, CATEGORY_FIELDS) as UpdateTaxCategoryInput)),
    }),
  },
  DeleteTaxCategory: {
    write: true,
    handle: async (req, ctx, { services }) => {
      await services.pricing.taxes.deleteCategory(ctx, idArg(req));
      return {};
    },
  },

  CreateTaxRule: {
    write: true,
    handle: async (req, ctx, { services }) => ({ tax_rule: v.presentTaxRule(await services.pricing.taxes.createRule(ctx, pick(req, RULE_FIELDS) as CreateTaxRuleInput)) }),
  },
  GetTaxRule: { handle: async (req, ctx, { services }) => ({ tax_rule: v.presentTaxRule(await services.pricing.taxes.getRule(ctx, idArg(req))) }) },
  ListTaxRules: {
    handle: async (req, ctx, { services }) =>
      pageOut(
        'tax_rules',
        await services.pricing.taxes.listRules(ctx, {
          ...pageArg(req),
          include_archived: req.include_archived === true,
          tax_category_id: optionalId(req, 'tax_category_id'),
          outlet_id: optionalId(req, 'outlet_id'),
        }),
        v.presentTaxRule,
      ),
  },
  UpdateTaxRule: {
    write: true,
    handle: async (req, ctx, { services }) => {
      const patch = patchOf(req, RULE_FIELDS, { tax_category_id: null, outlet_id: null, order_types: null, exempt_tax_category_ids: [] }) as UpdateTaxRuleInput;
      return { tax_rule: v.presentTaxRule(await services.pricing.taxes.updateRule(ctx, idArg(req), patch)) };
    },
  },
  DeleteTaxRule: { write: true, handle: async (req, ctx, { services }) => ({ tax_rule: v.presentTaxRule(await services.pricing.taxes.archiveRule(ctx, idArg(req))) }) },
};
