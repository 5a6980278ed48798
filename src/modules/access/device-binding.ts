import type { Actor } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { AccessErrors } from './access.errors.js';

type Placed = { terminal_id?: string | undefined; outlet_id?: string | undefined };

/**
 * A paired device acts AS its terminal (seed 001's device provisioning): a write body from a device's
 * credential defaults to the device's terminal and outlet, and naming another one is refused (403, naming the
 * field) rather than quietly rewritten. Any other actor's body is returned as it is.
 */
export function bindToDevice<T extends Placed>(actor: Actor, i: T, fields: { outlet?: boolean } = {}): T {
  if (!actor.terminalId) return i;
  if (i.terminal_id !== undefined && i.terminal_id.toLowerCase() !== actor.terminalId) refuse(actor, 'terminal_id', i.terminal_id);
  if (fields.outlet !== false && i.outlet_id !== undefined && i.outlet_id.toLowerCase() !== actor.outletId) refuse(actor, 'outlet_id', i.outlet_id);
  return { ...i, terminal_id: actor.terminalId, ...(fields.outlet === false ? {} : { outlet_id: actor.outletId }) };
}

/** Refuses a device's credential acting on another terminal's drawer (sessions it reads or moves). */
export function assertDeviceTerminal(actor: Actor, terminalId: string, field = 'terminal_id'): void {
  if (actor.terminalId && terminalId.toLowerCase() !== actor.terminalId) refuse(actor, field, terminalId);
}

function refuse(actor: Actor, field: string, given: string): never {
  throw new AppError(
    AccessErrors.DEVICE_BOUND_TO_TERMINAL,
    { field, given, terminal_id: actor.terminalId, outlet_id: actor.outletId },
    `This device is paired to terminal ${actor.terminalId} (outlet ${actor.outletId}); it cannot act with ${field} ${given}`,
  );
}
