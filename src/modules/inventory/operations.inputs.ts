import { z } from 'zod';
import { minorUnitsField } from '../catalog/index.js';
import { pageRequestSchema } from '../../platform/pagination.js';
import { nameField, uuidField } from '../../platform/validation.js';
import { quantityField } from './quantity.js';

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

/** Lines naming each variant once: a repeat is refused naming the second one. */
const uniqueVariants = <T extends { variant_id: string }>(lines: T[], c: z.core.$RefinementCtx) => {
  const seen = new Set<string>();
  lines.forEach((l, i) => {
    if (seen.has(l.variant_id)) c.addIssue({ code: 'custom', path: [i, 'variant_id'], message: 'names a variant already on another line' });
    seen.add(l.variant_id);
  });
};

export const createSupplierInput = z.strictObject({
  name: nameField(),
  email: z.email('must be an e-mail address').max(200).optional(),
  phone: text(40).optional(),
  notes: text(1000).optional(),
});
export const updateSupplierInput = z.strictObject({
  name: nameField().optional(),
  email: z.email('must be an e-mail address').max(200).nullable().optional(),
  phone: text(40).nullable().optional(),
  notes: text(1000).nullable().optional(),
  archived: z.boolean().optional(),
});

const poLine = z.strictObject({ variant_id: uuidField(), quantity: quantityField('positive'), unit_cost: minorUnitsField().describe('Expected unit cost, minor units') });
export const createPurchaseOrderInput = z.strictObject({
  supplier_id: uuidField(),
  location_id: uuidField(),
  notes: text(1000).optional(),
  lines: z.array(poLine).min(1, 'needs at least one line').max(500, 'at most 500 lines').superRefine(uniqueVariants),
});
const receiptLine = z.strictObject({
  variant_id: uuidField(),
  quantity: quantityField('positive'),
  unit_cost: minorUnitsField().optional().describe('Actual unit cost, minor units; the line’s expected cost when absent'),
});
export const receivePurchaseOrderInput = z.strictObject({
  lines: z.array(receiptLine).min(1, 'needs at least one line').max(500, 'at most 500 lines').superRefine(uniqueVariants),
  allow_over_receipt: z.boolean().default(false).describe('Accept more than ordered (the lines are flagged over_received)'),
  occurred_at: z.iso.datetime({ offset: true, message: 'must be an RFC 3339 date-time' }).optional(),
});
export const purchaseOrderListQuery = pageRequestSchema.extend({
  status: z.enum(['DRAFT', 'ORDERED', 'PARTIALLY_RECEIVED', 'RECEIVED', 'CANCELLED']).optional(),
});

const transferLine = z.strictObject({ variant_id: uuidField(), quantity: quantityField('positive') });
export const createTransferInput = z
  .strictObject({
    from_location_id: uuidField(),
    to_location_id: uuidField(),
    notes: text(1000).optional(),
    lines: z.array(transferLine).min(1, 'needs at least one line').max(500, 'at most 500 lines').superRefine(uniqueVariants),
  })
  .refine((t) => t.from_location_id !== t.to_location_id, { path: ['to_location_id'], message: 'must differ from from_location_id' });
export const receiveTransferInput = z.strictObject({
  lines: z
    .array(z.strictObject({ variant_id: uuidField(), quantity: quantityField('non_negative') }))
    .max(500)
    .superRefine(uniqueVariants)
    .optional()
    .describe('What arrived; lines left out arrived in full'),
});

export const createCountInput = z
  .strictObject({
    location_id: uuidField(),
    scope: z.enum(['full', 'partial']).default('full'),
    variant_ids: z.array(uuidField()).max(1000, 'at most 1000 variants').optional().describe('The variants a partial count covers'),
    blind: z.boolean().default(false).describe('Hide expected quantities from counters until the count is posted'),
  })
  .refine((c) => c.scope === 'full' || (c.variant_ids?.length ?? 0) > 0, { path: ['variant_ids'], message: 'a partial count needs at least one variant' })
  .refine((c) => c.scope === 'partial' || c.variant_ids === undefined, { path: ['variant_ids'], message: 'only a partial count names its variants' });
export const recordCountInput = z.strictObject({
  lines: z.array(z.strictObject({ variant_id: uuidField(), counted: quantityField('non_negative') })).min(1, 'needs at least one line').max(1000).superRefine(uniqueVariants),
});

export type CreateSupplierInput = z.input<typeof createSupplierInput>;
export type UpdateSupplierInput = z.input<typeof updateSupplierInput>;
export type CreatePurchaseOrderInput = z.input<typeof createPurchaseOrderInput>;
export type ReceivePurchaseOrderInput = z.input<typeof receivePurchaseOrderInput>;
export type PurchaseOrderListQuery = z.input<typeof purchaseOrderListQuery>;
export type CreateTransferInput = z.input<typeof createTransferInput>;
export type ReceiveTransferInput = z.input<typeof receiveTransferInput>;
export type CreateCountInput = z.input<typeof createCountInput>;
export type RecordCountInput = z.input<typeof recordCountInput>;
