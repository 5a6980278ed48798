import { z } from 'zod';
import { codeField, nameField, uuidField } from '../../platform/validation.js';
import { MAX_RATE_BP, ORDER_TYPES } from './tax.js';

/** Wire inputs of tax categories and tax rules (snake_case; rate_bps as pos.v1.TaxRule has it). */

const noDuplicates = <T>(what: string) => (list: T[], c: z.RefinementCtx) =>
  list.forEach((v, i) => list.indexOf(v) !== i && c.addIssue({ code: 'custom', path: [i], message: `${what} ${String(v)} is listed twice` }));

export const createTaxCategoryInput = z.strictObject({ code: codeField(), name: nameField() });
export const updateTaxCategoryInput = z.strictObject({ code: codeField().optional(), name: nameField().optional() });
export type CreateTaxCategoryInput = z.input<typeof createTaxCategoryInput>;
export type UpdateTaxCategoryInput = z.input<typeof updateTaxCategoryInput>;

const ruleFields = {
  name: nameField(),
  rate_bps: z.number().int('must be a whole number of basis points (1100 = 11%)').min(0, 'must not be negative').max(MAX_RATE_BP, `must be at most ${MAX_RATE_BP} (1000%)`),
  inclusive: z.boolean().optional().describe('Included in the price (extracted) rather than added on top; default false'),
  compound: z.boolean().optional().describe('Applied on the base plus the taxes before it; cannot be inclusive; default false'),
  sequence: z.number().int('must be an integer').min(-1000).max(1000).optional().describe('Application order within non-compound, then compound, rules'),
  tax_category_id: uuidField().nullable().optional().describe('Only products of this tax category; null = every product'),
  outlet_id: uuidField().nullable().optional().describe('Only at this outlet; null = every outlet'),
  order_types: z
    .array(z.enum(ORDER_TYPES))
    .min(1, 'name at least one order type, or null for all')
    .superRefine(noDuplicates('order type'))
    .nullable()
    .optional()
    .describe('Only for these order types; null = all'),
  exempt_tax_category_ids: z.array(uuidField()).max(50).superRefine(noDuplicates('tax category')).optional().describe('Tax categories this rule never applies to'),
  active: z.boolean().optional(),
};

export const createTaxRuleInput = z.strictObject(ruleFields);
export const updateTaxRuleInput = z.strictObject({ ...ruleFields, name: nameField().optional(), rate_bps: ruleFields.rate_bps.optional() });
export type CreateTaxRuleInput = z.input<typeof createTaxRuleInput>;
export type UpdateTaxRuleInput = z.input<typeof updateTaxRuleInput>;

export const applicableTaxRulesQuery = z.object({
  tax_category_id: uuidField().optional().describe('The product’s tax category; omit for a product without one'),
  outlet_id: uuidField().optional(),
  order_type: z.enum(ORDER_TYPES).optional(),
});
export type ApplicableTaxRulesQuery = z.input<typeof applicableTaxRulesQuery>;
