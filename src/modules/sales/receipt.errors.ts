import { defineError } from '../../platform/errors.js';

/** Receipt codes (the order and refund lookups use ORDER_NOT_FOUND / REFUND_NOT_FOUND). */
export const ReceiptErrors = {
  RECEIPT_NOT_AVAILABLE: defineError('RECEIPT_NOT_AVAILABLE', 'precondition', 'Only a COMPLETED or VOIDED order has a receipt'),
  REFUND_NOT_FOUND: defineError('REFUND_NOT_FOUND', 'not_found', 'Refund not found'),
} as const;
