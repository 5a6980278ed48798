import { z } from 'zod';
import { nameField, uuidField } from '../../platform/validation.js';
import { skuField } from './catalog-codes.js';
import { optionalText, tagsField } from './catalog-fields.js';
import { PRODUCT_TYPES } from './catalog.schema.js';
import { createVariantInput, MAX_VARIANTS_PER_PRODUCT } from './variant.js';

const productFields = {
  name: nameField(200),
  description: optionalText(2000),
  sku: skuField().nullable().optional(),
  category_id: uuidField().nullable().optional(),
  tags: tagsField().optional(),
  tax_category_id: uuidField().nullable().optional(),
  type: z.enum(PRODUCT_TYPES).optional().describe('standard (default), service (no stock) or combo'),
  track_stock: z.boolean().optional().describe('Default true for standard products, false for services'),
  active: z.boolean().optional(),
  image_id: uuidField().nullable().optional(),
};

/**
 * SKUs must be unique across the product and its inline variants, and barcodes across the inline variants:
 * a clash inside one request is an input error naming both fields, caught before anything is written.
 */
function refineInlineCodes(i: { sku?: string | null | undefined; variants?: z.output<typeof createVariantInput>[] | undefined }, c: z.RefinementCtx) {
  const skus = new Map<string, string>();
  if (i.sku) skus.set(i.sku, 'sku');
  const codes = new Map<string, string>();
  i.variants?.forEach((v, vi) => {
    if (v.sku) {
      const other = skus.get(v.sku);
      if (other) c.addIssue({ code: 'custom', path: ['variants', vi, 'sku'], message: `duplicates ${other}` });
      else skus.set(v.sku, `variants.${vi}.sku`);
    }
    v.barcodes?.forEach((code, bi) => {
      const other = codes.get(code);
      if (other) c.addIssue({ code: 'custom', path: ['variants', vi, 'barcodes', bi], message: `duplicates ${other}` });
      else codes.set(code, `variants.${vi}.barcodes.${bi}`);
    });
  });
}

export const createProductInput = z
  .strictObject({
    ...productFields,
    variants: z
      .array(createVariantInput)
      .min(1, 'give at least one variant, or leave variants out for a default one')
      .max(MAX_VARIANTS_PER_PRODUCT, `at most ${MAX_VARIANTS_PER_PRODUCT} variants`)
      .optional()
      .describe('Variants to create with the product; without it the product gets one variant named "Regular"'),
  })
  .superRefine(refineInlineCodes);

export const updateProductInput = z.strictObject({ ...productFields, name: nameField(200).optional() });
export const availabilityInput = z.strictObject({
  outlet_id: uuidField(),
  available: z.boolean().describe('false "86"s the product at the outlet'),
  reason: z.string().trim().max(200, 'must be at most 200 characters').nullable().optional(),
});

export type CreateProductInput = z.input<typeof createProductInput>;
export type UpdateProductInput = z.input<typeof updateProductInput>;
export type AvailabilityInput = z.input<typeof availabilityInput>;

/** Input → the columns it sets (undefined = leave as is). */
export const productColumns = (i: z.output<typeof updateProductInput>) => ({
  name: i.name,
  description: i.description,
  sku: i.sku,
  categoryId: i.category_id,
  tags: i.tags,
  taxCategoryId: i.tax_category_id,
  type: i.type,
  trackStock: i.track_stock,
  active: i.active,
  imageId: i.image_id,
});
