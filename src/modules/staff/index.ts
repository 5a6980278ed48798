// The staff module's public surface: staff profiles (outlets, PIN), the PIN switch and the manager override.
export { StaffService, updateProfileInput, setPinInput, switchInput, overrideInput, SWITCH_TTL_MS, OVERRIDE_TTL_MS, type StaffProfile } from './staff.service.js';
export { StaffCredentialResolver, type StaffCredentials } from './staff-credentials.js';
export { StaffErrors } from './staff.errors.js';
export { CommissionService, CommissionHooks, createRuleInput, updateRuleInput, type Commission, type CommissionRule } from './commission.service.js';
export { ShiftService, autoClockOut, AUTO_CLOCK_OUT_QUEUE, clockInInput, clockOutInput, type Shift } from './shift.service.js';
export { hashPin, verifyPin, pinField } from './pin.js';
