import { defineError } from '../../platform/errors.js';

export const InventoryErrors = {
  STOCK_INSUFFICIENT: defineError('STOCK_INSUFFICIENT', 'precondition', 'Not enough stock available, and this tenant does not allow negative stock'),
  STOCK_LOCATION_NOT_FOUND: defineError('STOCK_LOCATION_NOT_FOUND', 'not_found', 'Stock location not found'),
  STOCK_LOCATION_ARCHIVED: defineError('STOCK_LOCATION_ARCHIVED', 'precondition', 'The stock location is archived; stock can no longer move there'),
  STOCK_NOT_TRACKED: defineError('STOCK_NOT_TRACKED', 'precondition', 'The variant’s product does not track stock'),
  STOCK_VARIANT_ARCHIVED: defineError('STOCK_VARIANT_ARCHIVED', 'precondition', 'The variant is archived; its stock can no longer be adjusted or counted'),
} as const;

export const OperationErrors = {
  SUPPLIER_NOT_FOUND: defineError('SUPPLIER_NOT_FOUND', 'not_found', 'Supplier not found'),
  SUPPLIER_ARCHIVED: defineError('SUPPLIER_ARCHIVED', 'precondition', 'The supplier is archived; new purchase orders cannot name it'),
  PURCHASE_ORDER_NOT_FOUND: defineError('PURCHASE_ORDER_NOT_FOUND', 'not_found', 'Purchase order not found'),
  PURCHASE_ORDER_INVALID_TRANSITION: defineError('PURCHASE_ORDER_INVALID_TRANSITION', 'precondition', 'The purchase order is not in a state that allows this'),
  PURCHASE_ORDER_OVER_RECEIPT: defineError('PURCHASE_ORDER_OVER_RECEIPT', 'invalid', 'More would be received than was ordered; say allow_over_receipt to accept it'),
  PURCHASE_ORDER_LINE_UNKNOWN: defineError('PURCHASE_ORDER_LINE_UNKNOWN', 'invalid', 'The purchase order has no line for this variant'),
  TRANSFER_NOT_FOUND: defineError('TRANSFER_NOT_FOUND', 'not_found', 'Stock transfer not found'),
  TRANSFER_INVALID_TRANSITION: defineError('TRANSFER_INVALID_TRANSITION', 'precondition', 'The transfer is not in a state that allows this'),
  TRANSFER_LINE_UNKNOWN: defineError('TRANSFER_LINE_UNKNOWN', 'invalid', 'The transfer has no line for this variant'),
  STOCK_COUNT_NOT_FOUND: defineError('STOCK_COUNT_NOT_FOUND', 'not_found', 'Stock count not found'),
  STOCK_COUNT_NOT_OPEN: defineError('STOCK_COUNT_NOT_OPEN', 'precondition', 'The stock count is no longer open'),
  STOCK_COUNT_LINE_UNKNOWN: defineError('STOCK_COUNT_LINE_UNKNOWN', 'invalid', 'The variant is not part of this count'),
} as const;
