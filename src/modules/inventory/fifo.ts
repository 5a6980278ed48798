import { sql } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { uuidv7 } from '../../platform/ids.js';
import { fromMilli, milli, normalize } from './quantity.js';

/**
 * FIFO costing (summary in index.ts). A FIFO tenant's levels keep cost layers (cost_layers): each inbound
 * movement opens one at its unit cost; each outbound movement takes from the oldest layers first and is costed
 * at the weighted cost of what it took. The moving-average path never comes here: the posting statements
 * return whether the tenant is FIFO (read in the same statement), and only then does the caller run
 * `applyFifo` — one read and one write, after the level row was updated, so the level's row lock (held to the
 * end of the transaction) serialises every layer change of that level: two sales never take the same layer
 * quantity twice, and a layer read here is never stale.
 *
 * Negative stock (allowed by default): the layers' remaining quantity is always max(on_hand, 0). Units taken
 * beyond the layers are costed at the level's LAST KNOWN cost (the newest layer's unit cost, exhausted or not;
 * the moving average when it never had one). A later inbound movement first fills that deficit — those units
 * open no layer, since they were already sold — and only the rest opens a layer. Past sales are not re-costed.
 *
 * Values: a slice of `q` units of a layer at unit cost `c` is worth round(q × c) minor units; a movement's and
 * a sale line's total is the sum of its slices (exact for whole units), its unit cost that total ÷ quantity,
 * rounded. Inbound movements without a cost (count gains, positive adjustments without unit_cost) come in at
 * the last known cost.
 */

export interface Layer { id: string; remaining: bigint; unitCost: bigint }

/** One movement (or one sale line) of a level in posting order; `quantity` in thousandths, signed. */
export interface FifoMove { key: string; quantity: bigint; unitCost: bigint | null }

export interface FifoPlan {
  /** Layers whose remaining changed: id → new remaining (thousandths). */
  updated: Map<string, bigint>;
  /** Layers to open: the move that opened them, quantity and what is left of it in this batch (thousandths), unit cost. */
  opened: { key: string; quantity: bigint; remaining: bigint; unitCost: bigint }[];
  /** Per move: its unit cost and its total value (minor units, unsigned). */
  costs: Map<string, { unitCost: bigint; total: bigint }>;
}

/** The key of a layer opened by reconciling layers with on hand (no movement opened it). */
export const RECONCILE = 'reconcile';

/** round(q × c) where q is in thousandths: half up, as numeric round() does for non-negative values. */
export const sliceValue = (q: bigint, c: bigint): bigint => (q * c + 500n) / 1000n;
const unitOf = (total: bigint, q: bigint, fallback: bigint): bigint => (q === 0n ? fallback : (total * 1000n + q / 2n) / q);

/** The FIFO arithmetic of one level, pure: layers oldest first, on hand before the moves, the last known cost. */
export function planFifo(level: { onHandBefore: bigint; layers: readonly Layer[]; lastCost: bigint }, moves: readonly FifoMove[]): FifoPlan {
  const layers = level.layers.map((l) => ({ ...l }));
  const updated = new Map<string, bigint>();
  const opened: { key: string; quantity: bigint; unitCost: bigint }[] = [];
  const costs = new Map<string, { unitCost: bigint; total: bigint }>();
  let onHand = level.onHandBefore;
  let last = level.lastCost;
  // Reconcile first: the layers must hold max(on hand, 0). They differ only when a posting was costed by the
  // method in force just before a switch committed (see switchCosting): units that left then are taken from the
  // oldest layers, units that came in then open a layer at the last known cost.
  const held = layers.reduce((sum, l) => sum + l.remaining, 0n);
  const target = onHand > 0n ? onHand : 0n;
  if (held > target) {
    let excess = held - target;
    for (const l of layers) {
      if (excess === 0n) break;
      const take = excess < l.remaining ? excess : l.remaining;
      l.remaining -= take;
      excess -= take;
      updated.set(l.id, l.remaining);
    }
  } else if (held < target) {
    layers.push({ id: `new:${opened.length}`, remaining: target - held, unitCost: last });
    opened.push({ key: RECONCILE, quantity: target - held, unitCost: last });
  }
  for (const m of moves) {
    if (m.quantity > 0n) {
      const cost = m.unitCost ?? last;
      const deficit = onHand < 0n ? -onHand : 0n;
      const layerQty = m.quantity > deficit ? m.quantity - deficit : 0n;
      if (layerQty > 0n) {
        const layer = { id: `new:${opened.length}`, remaining: layerQty, unitCost: cost };
        layers.push(layer);
        opened.push({ key: m.key, quantity: layerQty, unitCost: cost });
      }
      last = cost;
      onHand += m.quantity;
      costs.set(m.key, { unitCost: cost, total: sliceValue(m.quantity, cost) });
    } else if (m.quantity < 0n) {
      let want = -m.quantity;
      let total = 0n;
      for (const l of layers) {
        if (want === 0n) break;
        if (l.remaining === 0n) continue;
        const take = want < l.remaining ? want : l.remaining;
        total += sliceValue(take, l.unitCost);
        l.remaining -= take;
        want -= take;
        last = l.unitCost;
        if (!l.id.startsWith('new:')) updated.set(l.id, l.remaining);
      }
      if (want > 0n) total += sliceValue(want, last);
      onHand += m.quantity;
      costs.set(m.key, { unitCost: unitOf(total, -m.quantity, last), total });
    }
  }
  // A layer opened and partly taken in the same batch opens with what is left of it.
  const remainingOf = layers.filter((l) => l.id.startsWith('new:'));
  const openedOut = opened.map((o, i) => ({ ...o, remaining: remainingOf[i]!.remaining }));
  return { updated, opened: openedOut, costs };
}

interface LevelState { fifo: boolean; location_id: string; variant_id: string; on_hand: string; last_cost: string | bigint; layers: { id: string; remaining: string; unit_cost: string | number }[] }

/** The open layers and last known cost of levels this transaction has already updated (so holds locked). */
async function readLevels(tx: TxScope, keys: readonly { locationId: string; variantId: string }[]): Promise<LevelState[]> {
  const json = JSON.stringify(keys.map((k) => ({ location_id: k.locationId, variant_id: k.variantId })));
  const t = tx.tenantId;
  return rowsOf<LevelState>(
    await tx.db.execute(sql`
      SELECT coalesce((SELECT costing_method = 'fifo' FROM inventory_settings WHERE tenant_id = ${t}), false) AS fifo, s.location_id, s.variant_id, s.on_hand,
             coalesce((SELECT c.unit_cost FROM cost_layers c WHERE c.tenant_id = ${t} AND c.location_id = s.location_id AND c.variant_id = s.variant_id ORDER BY c.id DESC LIMIT 1), s.avg_cost) AS last_cost,
             coalesce((SELECT jsonb_agg(jsonb_build_object('id', c.id, 'remaining', c.remaining::text, 'unit_cost', c.unit_cost::text) ORDER BY c.id) FROM cost_layers c
                        WHERE c.tenant_id = ${t} AND c.location_id = s.location_id AND c.variant_id = s.variant_id AND c.remaining > 0), '[]'::jsonb) AS layers
        FROM jsonb_to_recordset(${json}::jsonb) AS k(location_id uuid, variant_id uuid)
        JOIN stock_levels s ON s.tenant_id = ${t} AND s.location_id = k.location_id AND s.variant_id = k.variant_id`),
  );
}

/** A movement to cost by FIFO, already posted (its level updated) by this transaction. */
export interface PostedMove { movementId: string; locationId: string; variantId: string; quantity: string; unitCost: bigint | null }
/** A sale line of a posted `sale` movement (its sale_costs row). */
export interface PostedSaleLine { itemId: string; movementId: string; locationId: string; variantId: string; quantity: string }

/**
 * Costs posted movements by FIFO: reads the levels' layers (one statement), plans each level, then writes the
 * layers taken and opened, the movements' unit cost and the sale lines' cost in one statement. A sale's
 * movement is split by its lines (each line takes its own slice, in line order) so each line's COGS is exact.
 * Returns each movement's unit cost and total value.
 */
export async function applyFifo(tx: TxScope, moves: readonly PostedMove[], saleLines: readonly PostedSaleLine[] = []): Promise<Map<string, { unitCost: bigint; total: bigint }>> {
  const byLevel = new Map<string, { locationId: string; variantId: string; moves: PostedMove[] }>();
  for (const m of moves) {
    const k = `${m.locationId}:${m.variantId}`;
    const g = byLevel.get(k) ?? { locationId: m.locationId, variantId: m.variantId, moves: [] };
    g.moves.push(m);
    byLevel.set(k, g);
  }
  if (byLevel.size === 0) return new Map();
  const read = await readLevels(tx, [...byLevel.values()]);
  // The posting read FIFO, but a switch back to the moving average committed while it waited for its levels: the
  // layers are gone and the average it was costed at stands.
  if (read.length > 0 && !read[0]!.fifo) return new Map();
  const states = new Map(read.map((s) => [`${s.location_id}:${s.variant_id}`, s]));
  const updated: { location_id: string; variant_id: string; id: string; remaining: string }[] = [];
  const opened: { location_id: string; variant_id: string; id: string; quantity: string; unit_cost: string; movement_id: string | null }[] = [];
  const movementCosts = new Map<string, { unitCost: bigint; total: bigint }>();
  const lineCosts: { item_id: string; variant_id: string; unit_cost: string; total: string }[] = [];
  for (const [k, g] of byLevel) {
    const st = states.get(k);
    if (!st) continue;
    const delta = g.moves.reduce((s, m) => s + milli(normalize(m.quantity)), 0n);
    const fifoMoves: FifoMove[] = [];
    for (const m of g.moves) {
      const lines = saleLines.filter((l) => l.movementId === m.movementId);
      if (lines.length) for (const l of lines) fifoMoves.push({ key: `line:${l.itemId}`, quantity: -milli(normalize(l.quantity)), unitCost: null });
      else fifoMoves.push({ key: `mv:${m.movementId}`, quantity: milli(normalize(m.quantity)), unitCost: m.unitCost });
    }
    const plan = planFifo(
      { onHandBefore: milli(normalize(String(st.on_hand))) - delta, lastCost: BigInt(st.last_cost), layers: st.layers.map((l) => ({ id: l.id, remaining: milli(normalize(l.remaining)), unitCost: BigInt(l.unit_cost) })) },
      fifoMoves,
    );
    for (const [id, rem] of plan.updated) updated.push({ location_id: g.locationId, variant_id: g.variantId, id, remaining: fromMilli(rem) });
    for (const o of plan.opened.filter((x) => x.key === RECONCILE && x.remaining > 0n)) {
      opened.push({ location_id: g.locationId, variant_id: g.variantId, id: uuidv7(), quantity: fromMilli(o.remaining), unit_cost: o.unitCost.toString(), movement_id: null });
    }
    for (const m of g.moves) {
      const lines = saleLines.filter((l) => l.movementId === m.movementId);
      let cost: { unitCost: bigint; total: bigint };
      if (lines.length) {
        let total = 0n;
        for (const l of lines) {
          const c = plan.costs.get(`line:${l.itemId}`)!;
          total += c.total;
          lineCosts.push({ item_id: l.itemId, variant_id: l.variantId, unit_cost: c.unitCost.toString(), total: c.total.toString() });
        }
        cost = { unitCost: unitOf(total, -milli(normalize(m.quantity)), 0n), total };
      } else cost = plan.costs.get(`mv:${m.movementId}`)!;
      movementCosts.set(m.movementId, cost);
      for (const o of plan.opened.filter((x) => x.key === `mv:${m.movementId}`)) {
        if (o.remaining > 0n) opened.push({ location_id: g.locationId, variant_id: g.variantId, id: uuidv7(), quantity: fromMilli(o.remaining), unit_cost: o.unitCost.toString(), movement_id: m.movementId });
      }
    }
  }
  const t = tx.tenantId;
  const mc = [...movementCosts].map(([id, c]) => ({ id, unit_cost: c.unitCost.toString(), total: c.total.toString() }));
  await tx.db.execute(sql`
    WITH u AS (
      UPDATE cost_layers c SET remaining = x.remaining FROM jsonb_to_recordset(${JSON.stringify(updated)}::jsonb) AS x(location_id uuid, variant_id uuid, id uuid, remaining numeric)
       WHERE c.tenant_id = ${t} AND c.location_id = x.location_id AND c.variant_id = x.variant_id AND c.id = x.id),
    n AS (
      INSERT INTO cost_layers (tenant_id, location_id, variant_id, id, quantity, remaining, unit_cost, movement_id)
      SELECT ${t}, x.location_id, x.variant_id, x.id, x.quantity, x.quantity, x.unit_cost, x.movement_id
        FROM jsonb_to_recordset(${JSON.stringify(opened)}::jsonb) AS x(location_id uuid, variant_id uuid, id uuid, quantity numeric, unit_cost bigint, movement_id uuid)),
    -- The movements were inserted by this transaction a statement ago at the moving average: their FIFO cost.
    m AS (
      UPDATE stock_movements mv SET unit_cost = x.unit_cost, total_cost = x.total FROM jsonb_to_recordset(${JSON.stringify(mc)}::jsonb) AS x(id uuid, unit_cost bigint, total bigint)
       WHERE mv.tenant_id = ${t} AND mv.id = x.id),
    sc AS (
      UPDATE sale_costs c SET unit_cost = x.unit_cost, total_cost = x.total FROM jsonb_to_recordset(${JSON.stringify(lineCosts)}::jsonb) AS x(item_id uuid, variant_id uuid, unit_cost bigint, total bigint)
       WHERE c.tenant_id = ${t} AND c.order_item_id = x.item_id AND c.variant_id = x.variant_id)
    SELECT 1`);
  return movementCosts;
}

/**
 * Switching a tenant's costing method, in the settings' transaction, allowed at any time: every level of the
 * tenant is locked first (sales of those levels wait), then
 * - to FIFO: each level with stock on hand gets ONE layer of its on-hand quantity at its moving-average cost
 *   (older than any layer opened afterwards), so valuation does not jump; levels at or below zero get none;
 * - to moving average: each level's average becomes its remaining layers' value ÷ their quantity (unchanged
 *   when it has none), and the layers are dropped.
 * A posting whose statement read the old method just before the switch committed is costed by the old method;
 * planFifo reconciles that level's layers with on hand at its next FIFO posting (documented in index.ts).
 */
export async function switchCosting(tx: TxScope, to: 'fifo' | 'moving_average'): Promise<void> {
  const t = tx.tenantId;
  // Its own statement: once it returns, no posting is mid-way on these levels, and the next statement's snapshot
  // sees every layer change committed before (a CTE would run with the snapshot taken before the wait).
  await tx.db.execute(sql`SELECT 1 FROM stock_levels WHERE tenant_id = ${t} ORDER BY location_id, variant_id FOR UPDATE`);
  if (to === 'fifo') {
    const base = uuidv7();
    await tx.db.execute(sql`
      WITH gone AS (DELETE FROM cost_layers WHERE tenant_id = ${t})
      INSERT INTO cost_layers (tenant_id, location_id, variant_id, id, quantity, remaining, unit_cost, movement_id)
      SELECT ${t}, l.location_id, l.variant_id, (left(${base}::text, 24) || lpad(to_hex(row_number() OVER (ORDER BY l.location_id, l.variant_id)), 12, '0'))::uuid,
             l.on_hand, l.on_hand, l.avg_cost, NULL
        FROM stock_levels l WHERE l.tenant_id = ${t} AND l.on_hand > 0`);
  } else {
    await tx.db.execute(sql`
      WITH v AS (SELECT location_id, variant_id, round(sum(remaining * unit_cost) / sum(remaining))::bigint AS cost FROM cost_layers
                  WHERE tenant_id = ${t} AND remaining > 0 GROUP BY 1, 2),
      avg AS (UPDATE stock_levels s SET avg_cost = v.cost, updated_at = now() FROM v
               WHERE s.tenant_id = ${t} AND s.location_id = v.location_id AND s.variant_id = v.variant_id)
      DELETE FROM cost_layers WHERE tenant_id = ${t}`);
  }
}

/** A FIFO location's stock value: its remaining layers, each worth round(remaining × unit cost). */
export async function layerValue(tx: TxScope, locationId: string): Promise<bigint> {
  const [r] = rowsOf<{ value: string | bigint | null }>(
    await tx.db.execute(sql`SELECT sum(round(remaining * unit_cost))::bigint AS value FROM cost_layers WHERE tenant_id = ${tx.tenantId} AND location_id = ${locationId} AND remaining > 0`),
  );
  return BigInt(r?.value ?? 0);
}
