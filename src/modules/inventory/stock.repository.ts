import { sql } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { NIL_UUID } from '../../platform/prepared.js';
import type { MovementType } from './inventory.inputs.js';

export interface LevelRow {
  location_id: string;
  variant_id: string;
  on_hand: string;
  reserved: string;
  reorder_point: string | null;
  par_level: string | null;
  avg_cost: bigint | string;
  updated_at: Date | string | null;
}

export interface MovementRow {
  id: string;
  location_id: string;
  variant_id: string;
  type: MovementType;
  quantity: string;
  unit_cost: bigint | string;
  reference_type: string | null;
  reference_id: string | null;
  actor_membership_id: string | null;
  reason: string | null;
  occurred_at: Date | string;
  recorded_at: Date | string;
}

/** One movement to post. `unitCost` is the cost of units coming in (null: the level's current average). */
export interface NewMovement {
  id: string;
  locationId: string;
  variantId: string;
  type: MovementType;
  /** Signed decimal text. */
  quantity: string;
  unitCost: bigint | null;
  referenceType: string | null;
  referenceId: string | null;
  reason: string | null;
  occurredAt: string | null;
  /** Outbox ids: stock.changed for this movement, stock.low should its level cross the reorder point. */
  changedEventId: string;
  lowEventId: string;
}

export interface PostedLevel extends LevelRow {
  delta: string;
  /** The tenant costs by FIFO (read in the posting statement): the caller then runs applyFifo. */
  fifo: boolean;
  /** The unit cost this batch's movement of the level was costed at (the average, or FIFO's once applied). */
  move_cost?: bigint;
}

const LEVEL_COLS = sql`location_id, variant_id, on_hand, reserved, reorder_point, par_level, avg_cost, updated_at`;

/**
 * Posts movements and moves their levels in ONE statement: the levels are upserted with a guarded update
 * (on_hand − reserved + change ≥ 0 unless negative stock is allowed; never read-modify-write), the ledger rows
 * are inserted only for levels that moved, and stock.changed / stock.low go to the outbox beside them.
 * Incoming units with a cost move the level's moving average. Returns the levels that moved: a level missing
 * from the result was refused by its guard, and a new level that went below zero was not guarded (no row to
 * lock): the caller checks both and throws, which rolls the statement back with its transaction.
 */
export async function postMovements(tx: TxScope, moves: readonly NewMovement[], opts: { allowNegative: boolean; actor: string | null }): Promise<PostedLevel[]> {
  const t = tx.tenantId;
  const json = JSON.stringify(
    moves.map((m) => ({
      id: m.id, location_id: m.locationId, variant_id: m.variantId, type: m.type, quantity: m.quantity, unit_cost: m.unitCost === null ? null : m.unitCost.toString(),
      reference_type: m.referenceType, reference_id: m.referenceId, reason: m.reason, occurred_at: m.occurredAt, changed_id: m.changedEventId, low_id: m.lowEventId,
    })),
  );
  return rowsOf<PostedLevel>(
    await tx.db.execute(sql`
      WITH m AS (
        SELECT * FROM jsonb_to_recordset(${json}::jsonb) AS x(id uuid, location_id uuid, variant_id uuid, type text, quantity numeric, unit_cost bigint,
               reference_type text, reference_id uuid, reason text, occurred_at timestamptz, changed_id uuid, low_id uuid)),
      a AS (
        SELECT location_id, variant_id, sum(quantity) AS qty,
               sum(quantity) FILTER (WHERE quantity > 0 AND unit_cost IS NOT NULL) AS in_qty,
               sum(quantity * unit_cost) FILTER (WHERE quantity > 0 AND unit_cost IS NOT NULL) AS in_value,
               (array_agg(low_id))[1] AS low_id
          FROM m GROUP BY location_id, variant_id),
      lvl AS (
        INSERT INTO stock_levels AS s (tenant_id, location_id, variant_id, on_hand, avg_cost)
        SELECT ${t}, a.location_id, a.variant_id, a.qty, coalesce(round(a.in_value / nullif(a.in_qty, 0)), 0) FROM a
        ON CONFLICT (tenant_id, location_id, variant_id) DO UPDATE SET
          on_hand = s.on_hand + excluded.on_hand,
          avg_cost = coalesce((
            SELECT round((greatest(s.on_hand, 0) * s.avg_cost + a.in_value) / nullif(greatest(s.on_hand, 0) + a.in_qty, 0))
              FROM a WHERE a.location_id = s.location_id AND a.variant_id = s.variant_id AND a.in_qty > 0), s.avg_cost),
          updated_at = now()
        WHERE ${opts.allowNegative} OR excluded.on_hand >= 0 OR s.on_hand - s.reserved + excluded.on_hand >= 0
        RETURNING ${sql.raw('s.location_id, s.variant_id, s.on_hand, s.reserved, s.reorder_point, s.par_level, s.avg_cost, s.updated_at')}),
      mv AS (
        INSERT INTO stock_movements (tenant_id, id, location_id, variant_id, type, quantity, unit_cost, reference_type, reference_id, actor_membership_id, reason, occurred_at)
        SELECT ${t}, m.id, m.location_id, m.variant_id, m.type, m.quantity, CASE WHEN m.quantity > 0 AND m.unit_cost IS NOT NULL THEN m.unit_cost ELSE lvl.avg_cost END,
               m.reference_type, m.reference_id, ${opts.actor}, m.reason, coalesce(m.occurred_at, now())
          FROM m JOIN lvl ON lvl.location_id = m.location_id AND lvl.variant_id = m.variant_id
        RETURNING id, location_id, variant_id, type, quantity, unit_cost, reference_type, reference_id),
      ev AS (
        INSERT INTO outbox_events (tenant_id, id, type, aggregate_type, aggregate_id, payload)
        SELECT ${t}, m.changed_id, 'stock.changed', 'stock_level', m.location_id::text || ':' || m.variant_id::text,
               jsonb_build_object('movement_id', m.id, 'location_id', m.location_id, 'variant_id', m.variant_id, 'type', m.type, 'quantity', m.quantity,
                                  'reference_type', m.reference_type, 'reference_id', m.reference_id, 'on_hand', lvl.on_hand, 'reserved', lvl.reserved,
                                  'available', lvl.on_hand - lvl.reserved)
          FROM m JOIN lvl ON lvl.location_id = m.location_id AND lvl.variant_id = m.variant_id),
      low AS (
        INSERT INTO outbox_events (tenant_id, id, type, aggregate_type, aggregate_id, payload)
        SELECT ${t}, a.low_id, 'stock.low', 'stock_level', lvl.location_id::text || ':' || lvl.variant_id::text,
               jsonb_build_object('location_id', lvl.location_id, 'variant_id', lvl.variant_id, 'on_hand', lvl.on_hand, 'reserved', lvl.reserved,
                                  'available', lvl.on_hand - lvl.reserved, 'reorder_point', lvl.reorder_point, 'par_level', lvl.par_level)
          FROM lvl JOIN a ON a.location_id = lvl.location_id AND a.variant_id = lvl.variant_id
         WHERE lvl.reorder_point IS NOT NULL AND lvl.on_hand - lvl.reserved <= lvl.reorder_point AND lvl.on_hand - lvl.reserved - a.qty > lvl.reorder_point)
      SELECT lvl.*, a.qty AS delta, coalesce((SELECT costing_method = 'fifo' FROM inventory_settings WHERE tenant_id = ${t}), false) AS fifo FROM lvl JOIN a ON a.location_id = lvl.location_id AND a.variant_id = lvl.variant_id`),
  );
}

export const stockRepository = {
  async level(tx: TxScope, locationId: string, variantId: string): Promise<LevelRow | undefined> {
    return rowsOf<LevelRow>(await tx.db.execute(sql`SELECT ${LEVEL_COLS} FROM stock_levels WHERE tenant_id = ${tx.tenantId} AND location_id = ${locationId} AND variant_id = ${variantId}`))[0];
  },

  /** A location's levels by variant id (keyset page); `lowOnly`: available at or below the reorder point. */
  async levels(tx: TxScope, locationId: string, limit: number, after: string | undefined, lowOnly: boolean): Promise<LevelRow[]> {
    return rowsOf<LevelRow>(
      await tx.db.execute(sql`
        SELECT ${LEVEL_COLS} FROM stock_levels
         WHERE tenant_id = ${tx.tenantId} AND location_id = ${locationId} AND variant_id > ${after ?? NIL_UUID}
           AND (NOT ${lowOnly} OR (reorder_point IS NOT NULL AND on_hand - reserved <= reorder_point))
         ORDER BY variant_id LIMIT ${limit + 1}`),
    );
  },

  /** Sets reorder point and par level, creating the level (zero stock) when the variant has none yet here. */
  async setThresholds(tx: TxScope, locationId: string, variantId: string, set: { reorderPoint?: string | null | undefined; parLevel?: string | null | undefined }): Promise<LevelRow> {
    const rp = set.reorderPoint === undefined ? null : set.reorderPoint;
    const par = set.parLevel === undefined ? null : set.parLevel;
    const [r] = rowsOf<LevelRow>(
      await tx.db.execute(sql`
        INSERT INTO stock_levels AS s (tenant_id, location_id, variant_id, reorder_point, par_level)
        VALUES (${tx.tenantId}, ${locationId}, ${variantId}, ${rp}::numeric, ${par}::numeric)
        ON CONFLICT (tenant_id, location_id, variant_id) DO UPDATE SET
          reorder_point = CASE WHEN ${set.reorderPoint === undefined} THEN s.reorder_point ELSE excluded.reorder_point END,
          par_level = CASE WHEN ${set.parLevel === undefined} THEN s.par_level ELSE excluded.par_level END,
          updated_at = now()
        RETURNING ${LEVEL_COLS}`),
    );
    return r!;
  },

  async movement(tx: TxScope, id: string): Promise<MovementRow | undefined> {
    return rowsOf<MovementRow>(
      await tx.db.execute(sql`
        SELECT id, location_id, variant_id, type, quantity, unit_cost, reference_type, reference_id, actor_membership_id, reason, occurred_at, recorded_at
          FROM stock_movements WHERE tenant_id = ${tx.tenantId} AND id = ${id}`),
    )[0];
  },

  async movements(tx: TxScope, f: { locationId?: string | undefined; variantId?: string | undefined; referenceId?: string | undefined }, limit: number, after: string | undefined): Promise<MovementRow[]> {
    return rowsOf<MovementRow>(
      await tx.db.execute(sql`
        SELECT id, location_id, variant_id, type, quantity, unit_cost, reference_type, reference_id, actor_membership_id, reason, occurred_at, recorded_at
          FROM stock_movements
         WHERE tenant_id = ${tx.tenantId} AND id > ${after ?? NIL_UUID}
           AND (${f.locationId ?? null}::uuid IS NULL OR location_id = ${f.locationId ?? null}::uuid)
           AND (${f.variantId ?? null}::uuid IS NULL OR variant_id = ${f.variantId ?? null}::uuid)
           AND (${f.referenceId ?? null}::uuid IS NULL OR reference_id = ${f.referenceId ?? null}::uuid)
         ORDER BY id LIMIT ${limit + 1}`),
    );
  },

  /** Units and value (on hand × moving-average cost, minor units) of a location's stock. */
  async valuation(tx: TxScope, locationId: string): Promise<{ variants: number; units: string; value: bigint }> {
    const [r] = rowsOf<{ variants: string | number; units: string | null; value: string | bigint | null }>(
      await tx.db.execute(sql`
        SELECT count(*) AS variants, sum(on_hand) AS units, sum(round(greatest(on_hand, 0) * avg_cost))::bigint AS value
          FROM stock_levels WHERE tenant_id = ${tx.tenantId} AND location_id = ${locationId}`),
    );
    return { variants: Number(r!.variants), units: r!.units ?? '0', value: BigInt(r!.value ?? 0) };
  },
};

/**
 * The ledger invariant as one query: every level whose on_hand differs from the sum of its movements, or whose
 * reserved differs from its live reservations. Empty means every unit is explained. Used by tests and ops.
 */
export const ledgerDriftQuery = (tenantId: string) => sql`
  SELECT s.location_id, s.variant_id, s.on_hand, coalesce(m.total, 0) AS ledger, s.reserved, coalesce(r.total, 0) AS reservations
    FROM stock_levels s
    LEFT JOIN (SELECT location_id, variant_id, sum(quantity) AS total FROM stock_movements WHERE tenant_id = ${tenantId} GROUP BY 1, 2) m
           ON m.location_id = s.location_id AND m.variant_id = s.variant_id
    LEFT JOIN (SELECT location_id, variant_id, sum(quantity) AS total FROM stock_reservations WHERE tenant_id = ${tenantId} GROUP BY 1, 2) r
           ON r.location_id = s.location_id AND r.variant_id = s.variant_id
   WHERE s.tenant_id = ${tenantId} AND (s.on_hand <> coalesce(m.total, 0) OR s.reserved <> coalesce(r.total, 0))`;
