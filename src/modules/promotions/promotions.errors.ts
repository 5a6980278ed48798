import { defineError } from '../../platform/errors.js';

export const PromotionErrors = {
  PROMOTION_NOT_FOUND: defineError('PROMOTION_NOT_FOUND', 'not_found', 'Promotion not found'),
  PROMOTION_EXHAUSTED: defineError('PROMOTION_EXHAUSTED', 'conflict', 'The promotion has no uses left; calculate the order again'),
  COUPON_NOT_FOUND: defineError('COUPON_NOT_FOUND', 'not_found', 'Coupon not found'),
  COUPON_CODE_TAKEN: defineError('COUPON_CODE_TAKEN', 'already_exists', 'A coupon with this code already exists'),
  COUPON_UNKNOWN: defineError('COUPON_UNKNOWN', 'invalid', 'No coupon has this code'),
  COUPON_INACTIVE: defineError('COUPON_INACTIVE', 'invalid', 'The coupon or its promotion is not active'),
  COUPON_NOT_STARTED: defineError('COUPON_NOT_STARTED', 'invalid', 'The coupon is not valid yet'),
  COUPON_EXPIRED: defineError('COUPON_EXPIRED', 'invalid', 'The coupon has expired'),
  COUPON_EXHAUSTED: defineError('COUPON_EXHAUSTED', 'conflict', 'The coupon has no uses left'),
  COUPON_WRONG_OUTLET: defineError('COUPON_WRONG_OUTLET', 'invalid', 'The coupon is for another outlet'),
  COUPON_NEEDS_CUSTOMER: defineError('COUPON_NEEDS_CUSTOMER', 'invalid', 'The coupon needs a customer on the order'),
  COUPON_FIRST_ORDER_ONLY: defineError('COUPON_FIRST_ORDER_ONLY', 'invalid', 'The coupon is for a customer’s first order only'),
  COUPON_CUSTOMER_LIMIT: defineError('COUPON_CUSTOMER_LIMIT', 'invalid', 'The customer has used this coupon as often as allowed'),
  DISCOUNT_OVER_LIMIT: defineError('DISCOUNT_OVER_LIMIT', 'forbidden', 'The discount is above what your role may give; a manager override (pos:sale:discount:override) is needed'),
} as const;
