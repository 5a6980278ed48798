import type { TxScope } from '../../platform/context.js';
import { notifyAfterCommit } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { OUTBOX_CHANNEL } from '../../platform/outbox.js';
import { applyFifo } from './fifo.js';
import { InventoryErrors } from './inventory.errors.js';
import { fromMilli, milli } from './quantity.js';
import { postMovements, type NewMovement, type PostedLevel } from './stock.repository.js';

/** The refusal of a movement that would take available stock below zero, naming the variant and location. */
export function insufficient(variantId: string, locationId: string, requested: string, available: string | null, field = 'quantity'): AppError {
  return new AppError(
    InventoryErrors.STOCK_INSUFFICIENT,
    { field, variant_id: variantId, location_id: locationId, requested: Number(requested), ...(available === null ? {} : { available: Number(available) }) },
    `Not enough stock of variant ${variantId} at location ${locationId}: ${requested} requested${available === null ? '' : `, ${available} available`}`,
  );
}

/**
 * Posts movements (stock.repository postMovements, one statement) and refuses the lot when a guard refused a
 * level or a new level went below zero with negative stock forbidden; the caller's transaction then rolls back.
 */
export async function postAndCheck(tx: TxScope, moves: readonly NewMovement[], opts: { allowNegative: boolean; actor: string | null; field?: string }): Promise<PostedLevel[]> {
  const levels = await postMovements(tx, moves, opts);
  const byKey = new Map(levels.map((l) => [`${l.location_id}:${l.variant_id}`, l]));
  const need = new Map<string, bigint>();
  for (const m of moves) need.set(`${m.locationId}:${m.variantId}`, (need.get(`${m.locationId}:${m.variantId}`) ?? 0n) + milli(m.quantity));
  for (const [key, delta] of need) {
    const l = byKey.get(key);
    const [loc, variant] = key.split(':') as [string, string];
    if (!l) throw insufficient(variant, loc, fromMilli(-delta), null, opts.field);
    if (!opts.allowNegative && delta < 0n && milli(String(l.on_hand)) - milli(String(l.reserved)) < 0n) {
      throw insufficient(variant, loc, fromMilli(-delta), fromMilli(milli(String(l.on_hand)) - milli(String(l.reserved)) - delta), opts.field);
    }
  }
  if (levels[0]?.fifo) {
    const costs = await applyFifo(tx, moves.map((m) => ({ movementId: m.id, locationId: m.locationId, variantId: m.variantId, quantity: m.quantity, unitCost: m.unitCost })));
    for (const m of moves) {
      const l = byKey.get(`${m.locationId}:${m.variantId}`)!;
      if (milli(m.quantity) < 0n) l.move_cost = costs.get(m.id)?.unitCost;
    }
  }
  notifyAfterCommit(tx.db, OUTBOX_CHANNEL);
  return moves.map((m) => byKey.get(`${m.locationId}:${m.variantId}`)!);
}
