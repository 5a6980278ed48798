import type { TxCtx } from '../../platform/context.js';
import { notifyAfterCommit } from '../../platform/db.js';
import { uuidv7 } from '../../platform/ids.js';
import { OUTBOX_CHANNEL } from '../../platform/outbox.js';
import type { CompletedSale, LineModifier, OrderItem, RefundFacts, SaleHooks } from '../sales/index.js';
import { applyFifo } from './fifo.js';
import { tenantHasRecipes } from './recipe.service.js';
import { actorOf } from './inventory.service.js';
import { locationRepository } from './location.repository.js';
import { fromMilli, milli, normalize } from './quantity.js';
import { markCostsReturned, releaseOrderReservations, reserveForOrder, saleCostsOf, takeForSale, type SaleLine, type TakeResult } from './sale-stock.repository.js';
import { insufficient, postAndCheck } from './stock-guard.js';
import type { NewMovement } from './stock.repository.js';

/** Units per variant of an order's track-stock lines (a variant on several lines is summed). */
function unitsByVariant(items: readonly OrderItem[]): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const i of items) if (i.trackStock) out.set(i.variantId, (out.get(i.variantId) ?? 0n) + milli(normalize(String(i.quantity))));
  return out;
}

/**
 * Inventory's part in a sale, inside the sale's own transaction (SaleHooks). Completion takes the stock at the
 * outlet's default location in one statement; reserve-on-add tenants hold stock while an order is open; voids
 * release what was held; refunds with restock put the units back at the cost the sale took.
 */
export class InventorySaleHooks implements SaleHooks {
  async orderCompleted(tx: TxCtx, sale: CompletedSale): Promise<void> {
    if (sale.items.length === 0) return;
    const recipes = await tenantHasRecipes(tx); // remembered per process for a few seconds: no round trip per sale
    const linked = sale.items.some((i) => ((i.modifiers ?? []) as LineModifier[]).some((m) => m.linked_variant_id));
    if (!recipes && !linked && !sale.items.some((i) => i.trackStock)) return; // nothing to take: no round trip at all
    const all: SaleLine[] = sale.items.map((i) => ({
      itemId: i.id, variantId: i.variantId, quantity: normalize(String(i.quantity)), trackStock: i.trackStock,
      modifiers: ((i.modifiers ?? []) as LineModifier[]).map((m) => ({ modifierId: m.modifier_id, quantity: m.quantity, linkedVariantId: m.linked_variant_id ?? null })),
    }));
    const lines = recipes ? all : all.filter((l) => l.trackStock || l.modifiers.some((m) => m.linkedVariantId));
    const rows = await takeForSale(tx, { orderId: sale.order.id, outletId: sale.order.outletId, actor: actorOf(tx), idBase: uuidv7(), recipes, lines });
    for (const r of rows) {
      const want = milli(normalize(String(r.qty)));
      if (want === 0n) continue;
      const available = r.on_hand === null ? null : milli(String(r.on_hand)) - milli(String(r.reserved));
      if (!r.moved || (!r.allow_negative && available !== null && available < 0n)) {
        const before = r.moved ? fromMilli(available! + want) : r.available_before === null ? '0' : normalize(String(r.available_before));
        throw insufficient(r.variant_id, sale.order.outletId, fromMilli(want), before, 'items');
      }
    }
    if (rows[0]?.fifo) await this.costByFifo(tx, sale.order.outletId, rows);
    notifyAfterCommit(tx.db, OUTBOX_CHANNEL);
  }

  /** FIFO tenants: the sale movements and their lines take the oldest layers (two more statements). */
  private async costByFifo(tx: TxCtx, outletId: string, rows: readonly TakeResult[]): Promise<void> {
    const taken = rows.filter((r) => milli(normalize(String(r.qty))) > 0n);
    await applyFifo(
      tx,
      taken.map((r) => ({ movementId: r.movement_id, locationId: outletId, variantId: r.variant_id, quantity: `-${normalize(String(r.qty))}`, unitCost: null })),
      taken.flatMap((r) => (r.lines ?? []).map((l) => ({ itemId: l.item_id, movementId: r.movement_id, locationId: outletId, variantId: r.variant_id, quantity: l.qty }))),
    );
  }

  async itemsChanged(tx: TxCtx, change: { order: { id: string; outletId: string }; items: readonly OrderItem[] }): Promise<void> {
    const wants = [...unitsByVariant(change.items)].map(([variantId, q]) => ({ variantId, quantity: fromMilli(q) }));
    const rows = await reserveForOrder(tx, { orderId: change.order.id, outletId: change.order.outletId, wants });
    for (const r of rows) {
      const delta = milli(String(r.delta));
      const available = r.on_hand === null ? null : milli(String(r.on_hand)) - milli(String(r.reserved));
      if (!r.moved || (!r.allow_negative && delta > 0n && available !== null && available < 0n)) {
        throw insufficient(r.variant_id, change.order.outletId, fromMilli(delta), available === null ? null : fromMilli(available + delta), 'items');
      }
    }
  }

  async orderVoided(tx: TxCtx, voided: { order: { id: string } }): Promise<void> {
    await releaseOrderReservations(tx, voided.order.id);
  }

  async orderRefunded(tx: TxCtx, refund: RefundFacts): Promise<void> {
    const back = refund.lines.filter((l) => l.restock && l.trackStock);
    if (back.length === 0) return;
    const costs = new Map((await saleCostsOf(tx, back.map((l) => l.itemId))).map((c) => [`${c.order_item_id}:${c.variant_id}`, c]));
    if (back.some((l) => !costs.has(`${l.itemId}:${l.variantId}`))) await locationRepository.ensure(tx, refund.outletId);
    const moves: NewMovement[] = back.map((l) => {
      const c = costs.get(`${l.itemId}:${l.variantId}`);
      return {
        id: uuidv7(), locationId: c?.location_id ?? refund.outletId, variantId: l.variantId, type: 'refund', quantity: normalize(String(l.quantity)),
        // The cost the sale took comes back with the units; a sale made before stock was tracked returns at the average.
        unitCost: c ? BigInt(c.unit_cost) : null,
        referenceType: 'refund', referenceId: refund.refundId, reason: refund.reason, occurredAt: null, changedEventId: uuidv7(), lowEventId: uuidv7(),
      };
    });
    await postAndCheck(tx, moves, { allowNegative: true, actor: actorOf(tx) });
    await markCostsReturned(tx, back.filter((l) => costs.has(`${l.itemId}:${l.variantId}`)).map((l) => ({ itemId: l.itemId, variantId: l.variantId, quantity: normalize(String(l.quantity)) })));
  }
}
