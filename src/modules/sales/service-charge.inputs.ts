import { z } from 'zod';
import { minorUnitsField, ORDER_TYPES } from '../catalog/index.js';
import { nameField, uuidField } from '../../platform/validation.js';

/** Wire inputs of service-charge rules (snake_case, as the REST API takes them). */

const fields = {
  name: nameField(120),
  kind: z.enum(['percentage', 'fixed']).describe('percentage: rate_bps of the base; fixed: amount per order'),
  rate_bps: z.number().int('must be a whole number of basis points (500 = 5%)').min(0, 'must not be negative').max(100_000, 'must be at most 100000 (1000%)').nullable().optional(),
  amount: minorUnitsField().nullable().optional().describe('Fixed charges: minor units per order'),
  stage: z.enum(['before_tax', 'after_tax']).optional().describe('before_tax (default): on the lines before tax; after_tax: on the lines with their taxes'),
  taxable: z.boolean().optional().describe('Taxed by the rules of tax_category_id (or the rules without a category); default false'),
  tax_category_id: uuidField().nullable().optional(),
  order_types: z.array(z.enum(ORDER_TYPES)).min(1, 'name at least one order type, or null for all').nullable().optional().describe('Only these order types; null = all'),
  outlet_id: uuidField().nullable().optional().describe('Only at this outlet; null = every outlet'),
  sort_order: z.number().int().min(-1000).max(1000).optional(),
  active: z.boolean().optional(),
};

/** A rule's kind and its figure must agree; checked on the merged result of an update too. */
export function chargeShapeIssues(r: { kind: string; rate_bps?: number | null | undefined; amount?: string | null | undefined }): { field: string; message: string }[] {
  if (r.kind === 'percentage' && (r.rate_bps === null || r.rate_bps === undefined)) return [{ field: 'rate_bps', message: 'a percentage charge needs rate_bps' }];
  if (r.kind === 'fixed' && (r.amount === null || r.amount === undefined)) return [{ field: 'amount', message: 'a fixed charge needs amount' }];
  if (r.kind === 'percentage' && r.amount !== null && r.amount !== undefined) return [{ field: 'amount', message: 'a percentage charge takes rate_bps, not amount' }];
  if (r.kind === 'fixed' && r.rate_bps !== null && r.rate_bps !== undefined) return [{ field: 'rate_bps', message: 'a fixed charge takes amount, not rate_bps' }];
  return [];
}

export const createServiceChargeInput = z.strictObject(fields).superRefine((r, c) => {
  for (const i of chargeShapeIssues(r)) c.addIssue({ code: 'custom', path: [i.field], message: i.message });
});
export const updateServiceChargeInput = z.strictObject({ ...fields, name: fields.name.optional(), kind: fields.kind.optional() });
export type CreateServiceChargeInput = z.input<typeof createServiceChargeInput>;
export type UpdateServiceChargeInput = z.input<typeof updateServiceChargeInput>;
