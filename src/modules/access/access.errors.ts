import { defineError } from '../../platform/errors.js';

export const AccessErrors = {
  ROLE_NOT_FOUND: defineError('ROLE_NOT_FOUND', 'not_found', 'Role not found'),
  ROLE_KEY_TAKEN: defineError('ROLE_KEY_TAKEN', 'already_exists', 'A role with this key already exists'),
  ROLE_IS_SYSTEM: defineError('ROLE_IS_SYSTEM', 'precondition', 'The owner role cannot be changed'),
  UNKNOWN_PERMISSION: defineError('UNKNOWN_PERMISSION', 'invalid', 'Unknown permission'),
  PERMISSION_ESCALATION: defineError('PERMISSION_ESCALATION', 'forbidden', 'You cannot grant a permission you do not hold'),
  MEMBERSHIP_NOT_FOUND: defineError('MEMBERSHIP_NOT_FOUND', 'not_found', 'Staff membership not found'),
  MEMBERSHIP_EXISTS: defineError('MEMBERSHIP_EXISTS', 'already_exists', 'This user is already a member of the tenant'),
  API_KEY_NOT_FOUND: defineError('API_KEY_NOT_FOUND', 'not_found', 'API key not found'),
  INVALID_TOKEN: defineError('INVALID_TOKEN', 'unauthenticated', 'The bearer token is invalid'),
  TOKEN_EXPIRED: defineError('TOKEN_EXPIRED', 'unauthenticated', 'The bearer token has expired'),
  INVALID_API_KEY: defineError('INVALID_API_KEY', 'unauthenticated', 'The API key is invalid, revoked or expired'),
  DEV_HEADERS_DISABLED: defineError('DEV_HEADERS_DISABLED', 'unauthenticated', 'Development headers are not accepted when POS_AUTH_ENABLED=true'),
  AUTH_PROVIDER_UNAVAILABLE: defineError('AUTH_PROVIDER_UNAVAILABLE', 'unavailable', 'The JWKS of the Auth service could not be fetched'),
  DEVICE_BOUND_TO_TERMINAL: defineError('DEVICE_BOUND_TO_TERMINAL', 'forbidden', 'A device credential acts only on the terminal (and outlet) it is paired to'),
} as const;
