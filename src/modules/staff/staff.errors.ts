import { defineError } from '../../platform/errors.js';

export const StaffErrors = {
  STAFF_MEMBER_NOT_FOUND: defineError('STAFF_MEMBER_NOT_FOUND', 'not_found', 'Staff member not found'),
  STAFF_INACTIVE: defineError('STAFF_INACTIVE', 'precondition', 'The staff member is deactivated'),
  STAFF_PIN_NOT_SET: defineError('STAFF_PIN_NOT_SET', 'precondition', 'The staff member has no PIN yet'),
  STAFF_PIN_INCORRECT: defineError('STAFF_PIN_INCORRECT', 'unauthenticated', 'The PIN is not correct'),
  STAFF_PIN_LOCKED: defineError('STAFF_PIN_LOCKED', 'rate_limited', 'Too many wrong PINs: the staff member is locked out for a while'),
  STAFF_OUTLET_NOT_ALLOWED: defineError('STAFF_OUTLET_NOT_ALLOWED', 'forbidden', 'The staff member may not work at this outlet'),
  STAFF_OVERRIDE_NOT_PERMITTED: defineError('STAFF_OVERRIDE_NOT_PERMITTED', 'forbidden', 'The approving staff member does not hold the permission asked for'),
  STAFF_OVERRIDE_INVALID: defineError('STAFF_OVERRIDE_INVALID', 'forbidden', 'The manager override is unknown, expired or already used'),
  SHIFT_NOT_FOUND: defineError('SHIFT_NOT_FOUND', 'not_found', 'Shift not found'),
  SHIFT_ALREADY_OPEN: defineError('SHIFT_ALREADY_OPEN', 'already_exists', 'The staff member is already clocked in'),
  SHIFT_NOT_OPEN: defineError('SHIFT_NOT_OPEN', 'precondition', 'The shift is already clocked out'),
  SHIFT_ON_BREAK: defineError('SHIFT_ON_BREAK', 'precondition', 'The shift is already on a break'),
  SHIFT_NOT_ON_BREAK: defineError('SHIFT_NOT_ON_BREAK', 'precondition', 'The shift is not on a break'),
  COMMISSION_RULE_NOT_FOUND: defineError('COMMISSION_RULE_NOT_FOUND', 'not_found', 'Commission rule not found'),
  STAFF_SESSION_INVALID: defineError('STAFF_SESSION_INVALID', 'unauthenticated', 'The staff session token is unknown or expired'),
} as const;
