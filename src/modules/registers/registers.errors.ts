import { defineError } from '../../platform/errors.js';

export const RegisterErrors = {
  TERMINAL_NOT_FOUND: defineError('TERMINAL_NOT_FOUND', 'not_found', 'Terminal not found'),
  TERMINAL_INACTIVE: defineError('TERMINAL_INACTIVE', 'precondition', 'The terminal is deactivated'),
  CASH_SESSION_NOT_FOUND: defineError('CASH_SESSION_NOT_FOUND', 'not_found', 'Cash session not found'),
  CASH_SESSION_ALREADY_OPEN: defineError('CASH_SESSION_ALREADY_OPEN', 'already_exists', 'The terminal already has an open cash session'),
  CASH_SESSION_NOT_OPEN: defineError('CASH_SESSION_NOT_OPEN', 'precondition', 'The cash session is not open'),
  CASH_SESSION_NOT_RECONCILING: defineError('CASH_SESSION_NOT_RECONCILING', 'precondition', 'The cash session is not waiting for approval'),
  CASH_SESSION_REQUIRED: defineError('CASH_SESSION_REQUIRED', 'precondition', 'The terminal has no open cash session; open one before selling on it'),
  CASH_SESSION_NOT_YOURS: defineError('CASH_SESSION_NOT_YOURS', 'forbidden', 'Only the cashier who opened the session, or someone with pos:session:reconcile, may close it'),
  CASH_PAYOUT_EXCEEDS_DRAWER: defineError('CASH_PAYOUT_EXCEEDS_DRAWER', 'precondition', 'The pay-out is larger than the cash in the drawer; it needs a manager override (pos:session:reconcile)'),
  TERMINAL_CODE_TAKEN: defineError('TERMINAL_CODE_TAKEN', 'already_exists', 'A terminal with this code already exists'),
  TERMINAL_HAS_OPEN_SESSION: defineError('TERMINAL_HAS_OPEN_SESSION', 'precondition', 'The terminal has an open cash session; close it first'),
  DEVICE_NOT_FOUND: defineError('DEVICE_NOT_FOUND', 'not_found', 'Device not found'),
  DEVICE_ALREADY_REVOKED: defineError('DEVICE_ALREADY_REVOKED', 'precondition', 'The device is already revoked'),
  PAIRING_CODE_INVALID: defineError('PAIRING_CODE_INVALID', 'not_found', 'No such pairing code'),
  PAIRING_CODE_EXPIRED: defineError('PAIRING_CODE_EXPIRED', 'precondition', 'The pairing code has expired; ask for a new one'),
  PAIRING_CODE_USED: defineError('PAIRING_CODE_USED', 'precondition', 'The pairing code was already used'),
  HANDOVER_INVALID: defineError('HANDOVER_INVALID', 'precondition', 'Handover needs a closed session of the same terminal that was not handed over already'),
} as const;
