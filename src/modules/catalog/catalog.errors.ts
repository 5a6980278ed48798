import { defineError } from '../../platform/errors.js';

/**
 * Codes of the catalog core (categories, products, variants, lookup, change feed). Duplicates carry
 * `details.field` naming the offending field (`sku`, `barcodes`), as the seed's ALREADY_EXISTS promises.
 */
export const CatalogErrors = {
  CATEGORY_NOT_FOUND: defineError('CATEGORY_NOT_FOUND', 'not_found', 'Category not found'),
  CATEGORY_CYCLE: defineError('CATEGORY_CYCLE', 'invalid', 'A category cannot be its own parent or ancestor'),
  CATEGORY_ARCHIVED: defineError('CATEGORY_ARCHIVED', 'precondition', 'The category is archived and can no longer be changed'),
  PRODUCT_NOT_FOUND: defineError('PRODUCT_NOT_FOUND', 'not_found', 'Product not found'),
  PRODUCT_ARCHIVED: defineError('PRODUCT_ARCHIVED', 'precondition', 'The product is archived and can no longer be changed'),
  PRODUCT_NEEDS_ACTIVE_VARIANT: defineError('PRODUCT_NEEDS_ACTIVE_VARIANT', 'precondition', 'An active product needs at least one active variant'),
  VARIANT_NOT_FOUND: defineError('VARIANT_NOT_FOUND', 'not_found', 'Variant not found'),
  VARIANT_ARCHIVED: defineError('VARIANT_ARCHIVED', 'precondition', 'The variant is archived and can no longer be changed'),
  VARIANT_LAST_ACTIVE: defineError(
    'VARIANT_LAST_ACTIVE',
    'precondition',
    'This is the last active variant of an active product; add another variant or deactivate the product first',
  ),
  SKU_TAKEN: defineError('SKU_TAKEN', 'already_exists', 'Another product or variant already has this SKU'),
  BARCODE_TAKEN: defineError('BARCODE_TAKEN', 'already_exists', 'Another variant already has this barcode'),
  CATALOG_CODE_NOT_FOUND: defineError('CATALOG_CODE_NOT_FOUND', 'not_found', 'No product or variant has this barcode or SKU'),
  INVALID_CHANGE_CURSOR: defineError('INVALID_CHANGE_CURSOR', 'invalid', 'since is not a cursor the change feed returned'),
} as const;
