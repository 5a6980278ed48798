// The registers module's public surface: cash-drawer sessions, their ledger and reports, register settings,
// and the sale hooks that feed the drawers.
export { CashSessionService, CashSessionEvents, NO_SALE_PERMISSION } from './cash-session.service.js';
export { RegisterSettingsService, registerSettingsRepository, DEFAULT_REGISTER_SETTINGS, type RegisterSettings } from './register-settings.js';
export { RegisterSaleHooks } from './register-hooks.js';
export { RegisterErrors } from './registers.errors.js';
export { TerminalService, createTerminalInput, updateTerminalInput, type TerminalRow, type CreateTerminalInput, type UpdateTerminalInput } from './terminal.service.js';
export { DeviceService, DeviceEvents, pairingCodeInput, pairDeviceInput, PAIRING_CODE_TTL_MS, type Device } from './device.service.js';
export { autoCloseStaleSessions, AUTO_CLOSE_QUEUE, AUTO_CLOSE_EVERY_MS } from './auto-close.js';
export { sessionReport, type SessionReport, type TenderFigures } from './session-report.js';
export type { CashSession, SessionEntry } from './cash-session.repository.js';
export {
  openSessionInput,
  movementInput,
  closeSessionInput,
  approveSessionInput,
  registerSettingsInput,
  countTotal,
  varianceKind,
  needsApproval,
  SESSION_STATUSES,
  MOVEMENT_KINDS,
  type OpenSessionInput,
  type MovementInput,
  type CloseSessionInput,
  type RegisterSettingsInput,
  type DenominationCount,
} from './cash-session.js';
