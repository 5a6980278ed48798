import { defineError } from '../../platform/errors.js';

export const PriceErrors = {
  PRICE_NOT_FOUND: defineError('PRICE_NOT_FOUND', 'not_found', 'No price applies to this variant'),
  PRICE_CURRENCY_MISMATCH: defineError('PRICE_CURRENCY_MISMATCH', 'invalid', 'Prices must be in the tenant’s currency'),
  PRICE_BOOK_NOT_FOUND: defineError('PRICE_BOOK_NOT_FOUND', 'not_found', 'Price book not found'),
  PRICE_BOOK_ARCHIVED: defineError('PRICE_BOOK_ARCHIVED', 'precondition', 'The price book is archived and can no longer be changed'),
  PRICE_BOOK_DEFAULT_LOCKED: defineError(
    'PRICE_BOOK_DEFAULT_LOCKED',
    'precondition',
    'The default price book applies everywhere and always: it cannot be archived, deactivated or given conditions',
  ),
} as const;
