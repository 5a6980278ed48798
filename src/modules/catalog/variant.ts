import { z } from 'zod';
import { nameField } from '../../platform/validation.js';
import { barcodeListField, skuField } from './catalog-codes.js';
import { sortOrderField } from './catalog-fields.js';

/** The variant a product created without variants gets (see variant.service.ts for how it is replaced). */
export const DEFAULT_VARIANT_NAME = 'Regular';
export const MAX_VARIANTS_PER_PRODUCT = 100;

const optionKey = z.string().trim().min(1, 'must not be empty').max(40, 'must be at most 40 characters');
const optionValue = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

export const variantFields = {
  name: nameField(100),
  sku: skuField().nullable().optional(),
  barcodes: barcodeListField().optional().describe('Every barcode that scans to this variant; replaces the set on update'),
  options: z
    .record(optionKey, optionValue)
    .refine((o) => Object.keys(o).length <= 10, 'at most 10 options')
    .optional()
    .describe('Option values, e.g. {"size": "L", "milk": "oat"}'),
  cost: z.number().int('must be an integer in minor units').min(0, 'must be ≥ 0').max(Number.MAX_SAFE_INTEGER).nullable().optional().describe('Unit cost, minor units of the tenant currency'),
  weight_based: z.boolean().optional().describe('Sold by weight: quantities are in grams'),
  sort_order: sortOrderField().optional(),
  active: z.boolean().optional(),
};

export const createVariantInput = z.strictObject(variantFields);
export const updateVariantInput = z.strictObject({ ...variantFields, name: nameField(100).optional() });
export type CreateVariantInput = z.input<typeof createVariantInput>;
export type UpdateVariantInput = z.input<typeof updateVariantInput>;
export type VariantInput = z.output<typeof updateVariantInput>;

/** Input → the columns it sets (undefined = leave as is). */
export const variantColumns = (i: VariantInput) => ({
  name: i.name,
  sku: i.sku,
  options: i.options,
  cost: i.cost === undefined ? undefined : i.cost === null ? null : BigInt(i.cost),
  weightBased: i.weight_based,
  sortOrder: i.sort_order,
  active: i.active,
});

/** Columns of a new variant, defaults filled in. */
export const newVariantColumns = (i: z.output<typeof createVariantInput>) => ({
  name: i.name,
  sku: i.sku ?? null,
  options: i.options ?? {},
  cost: i.cost === undefined || i.cost === null ? null : BigInt(i.cost),
  weightBased: i.weight_based ?? false,
  sortOrder: i.sort_order ?? 0,
  active: i.active ?? true,
});
