import { defineError } from '../../platform/errors.js';

export const CustomerErrors = {
  CUSTOMER_NOT_FOUND: defineError('CUSTOMER_NOT_FOUND', 'not_found', 'Customer not found'),
  CUSTOMER_EMAIL_TAKEN: defineError('CUSTOMER_EMAIL_TAKEN', 'already_exists', 'Another customer of this tenant has this e-mail address'),
  CUSTOMER_PHONE_TAKEN: defineError('CUSTOMER_PHONE_TAKEN', 'already_exists', 'Another customer of this tenant has this phone number'),
  CUSTOMER_PHONE_INVALID: defineError('CUSTOMER_PHONE_INVALID', 'invalid', 'Not a valid phone number'),
  CUSTOMER_ARCHIVED: defineError('CUSTOMER_ARCHIVED', 'precondition', 'The customer is archived (or was merged into another)'),
  CUSTOMER_MERGE_INVALID: defineError('CUSTOMER_MERGE_INVALID', 'invalid', 'A customer cannot be merged into itself'),
  CUSTOMER_GROUP_NOT_FOUND: defineError('CUSTOMER_GROUP_NOT_FOUND', 'not_found', 'Customer group not found'),
  CUSTOMER_GROUP_NAME_TAKEN: defineError('CUSTOMER_GROUP_NAME_TAKEN', 'already_exists', 'A customer group with this name already exists'),
  LOYALTY_INSUFFICIENT_BALANCE: defineError('LOYALTY_INSUFFICIENT_BALANCE', 'precondition', 'The customer does not have that many points (or that much store credit)'),
  LOYALTY_CUSTOMER_REQUIRED: defineError('LOYALTY_CUSTOMER_REQUIRED', 'precondition', 'Paying with points or store credit needs a customer on the order'),
  LOYALTY_DISABLED: defineError('LOYALTY_DISABLED', 'precondition', 'The loyalty programme is off for this tenant'),
  LOYALTY_REFERENCE_REUSED: defineError('LOYALTY_REFERENCE_REUSED', 'invalid', 'This idempotency key was already used for a different points or credit change'),
  CUSTOMER_LOGIN_INVALID: defineError('CUSTOMER_LOGIN_INVALID', 'unauthenticated', 'The code or link is wrong, expired or already used'),
  CUSTOMER_LOGIN_LOCKED: defineError('CUSTOMER_LOGIN_LOCKED', 'unauthenticated', 'Too many wrong codes: request a new one'),
  CUSTOMER_TOKEN_INVALID: defineError('CUSTOMER_TOKEN_INVALID', 'unauthenticated', 'The customer token is invalid or expired'),
} as const;
