import { defineError } from '../../platform/errors.js';

export const InventoryErrors = {
  STOCK_INSUFFICIENT: defineError('STOCK_INSUFFICIENT', 'precondition', 'Not enough stock available, and this tenant does not allow negative stock'),
  STOCK_LOCATION_NOT_FOUND: defineError('STOCK_LOCATION_NOT_FOUND', 'not_found', 'Stock location not found'),
  STOCK_LOCATION_ARCHIVED: defineError('STOCK_LOCATION_ARCHIVED', 'precondition', 'The stock location is archived; stock can no longer move there'),
  STOCK_NOT_TRACKED: defineError('STOCK_NOT_TRACKED', 'precondition', 'The variant’s product does not track stock'),
  STOCK_VARIANT_ARCHIVED: defineError('STOCK_VARIANT_ARCHIVED', 'precondition', 'The variant is archived; its stock can no longer be adjusted or counted'),
} as const;
