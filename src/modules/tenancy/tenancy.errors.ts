import { defineError } from '../../platform/errors.js';

export const TenancyErrors = {
  TENANT_NOT_FOUND: defineError('TENANT_NOT_FOUND', 'not_found', 'Tenant not found'),
  TENANT_SLUG_TAKEN: defineError('TENANT_SLUG_TAKEN', 'already_exists', 'A tenant with this slug already exists'),
  TENANT_ALREADY_EXISTS: defineError('TENANT_ALREADY_EXISTS', 'already_exists', 'A tenant with this id already exists'),
  PLATFORM_KEY_INVALID: defineError('PLATFORM_KEY_INVALID', 'unauthenticated', 'A valid platform admin key is required'),
  OUTLET_NOT_FOUND: defineError('OUTLET_NOT_FOUND', 'not_found', 'Outlet not found'),
  OUTLET_CODE_TAKEN: defineError('OUTLET_CODE_TAKEN', 'already_exists', 'An outlet with this code already exists'),
  INVALID_TIME_ZONE: defineError('INVALID_TIME_ZONE', 'invalid', 'Unknown IANA time zone'),
  LICENSE_LIMIT_REACHED: defineError('LICENSE_LIMIT_REACHED', 'precondition', 'The tenant’s plan does not allow another one of these'),
  LICENSE_FEATURE_UNAVAILABLE: defineError('LICENSE_FEATURE_UNAVAILABLE', 'forbidden', 'The tenant’s plan does not include this feature'),
} as const;
