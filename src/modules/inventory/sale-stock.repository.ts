import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import type { TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { preparedRows } from '../../platform/prepared.js';
import { ensureOutletLocation } from './location.repository.js';

/** A line of a completed sale as the stock statement needs it. */
export interface SaleLine {
  itemId: string;
  variantId: string;
  /** Decimal text, > 0. */
  quantity: string;
  trackStock: boolean;
  modifiers: { modifierId: string; quantity: number; linkedVariantId: string | null }[];
}

export interface TakeResult {
  variant_id: string;
  qty: string;
  moved: boolean;
  on_hand: string | null;
  reserved: string | null;
  allow_negative: boolean;
  /** For a refused level: what was available to this order as the statement began. */
  available_before: string | null;
  /** The tenant costs by FIFO: the caller then costs the sale movement and its lines (applyFifo). */
  fifo: boolean;
  movement_id: string;
  /** FIFO tenants only: the sale lines that took this variant ({item_id, qty}), in item id order. */
  lines: { item_id: string; qty: string }[] | null;
}

/** What each line consumes (CTE bodies of takeForSale; the tenant is bound through li's rows, not inlined). */
const MD = `md AS (SELECT li.item_id, li.qty AS line_qty, (m->>'modifier_id')::uuid AS modifier_id, (m->>'q')::numeric AS q, (m->>'linked')::uuid AS linked
               FROM li, jsonb_array_elements(li.mods) AS m),`;
const PLAIN_USES = `uses AS (SELECT li.item_id, li.variant_id, li.qty FROM li WHERE li.track),`;
const LINKED_USES = `${MD}
      uses AS (
        SELECT li.item_id, li.variant_id, li.qty FROM li WHERE li.track
        UNION ALL
        SELECT md.item_id, md.linked, md.line_qty * md.q FROM md WHERE md.linked IS NOT NULL AND md.q > 0),`;
const RECIPE_USES = `${MD}
      base AS (SELECT li.item_id, r.component_variant_id AS variant_id, li.qty * r.quantity AS qty FROM li
                 JOIN recipe_components r ON r.tenant_id = current_setting('app.tenant_id')::uuid AND r.owner_type = 'variant' AND r.owner_id = li.variant_id),
      modc AS (SELECT md.item_id, r.component_variant_id AS variant_id, md.line_qty * md.q * r.quantity AS qty, r.replaces_variant_id FROM md
                 JOIN recipe_components r ON r.tenant_id = current_setting('app.tenant_id')::uuid AND r.owner_type = 'modifier' AND r.owner_id = md.modifier_id),
      uses AS (
        SELECT li.item_id, li.variant_id, li.qty FROM li WHERE li.track AND NOT EXISTS (SELECT 1 FROM base WHERE base.item_id = li.item_id)
        UNION ALL
        SELECT b.item_id, b.variant_id, b.qty FROM base b WHERE NOT EXISTS (SELECT 1 FROM modc WHERE modc.item_id = b.item_id AND modc.replaces_variant_id = b.variant_id)
        UNION ALL
        SELECT item_id, variant_id, qty FROM modc
        UNION ALL
        SELECT md.item_id, md.linked, md.line_qty * md.q FROM md WHERE md.linked IS NOT NULL AND md.q > 0
           AND NOT EXISTS (SELECT 1 FROM modc WHERE modc.item_id = md.item_id)),`;

/**
 * A completed sale's stock, in ONE statement: writes the outlet's default location if it is missing, releases
 * the order's reservations, works out what each line consumes — its own variant when it tracks stock, or its
 * recipe's components (bill of materials) with the modifiers' components added and the ones they replace taken
 * out, plus the stock item a modifier is linked to — takes each variant's units off its level with a guarded
 * upsert (available plus what this order had reserved must cover it unless negative stock is allowed), writes
 * a `sale` movement per variant at the level's moving-average cost, each line's cost (COGS) into sale_costs, and
 * stock.changed / stock.low into the outbox. Row ids are derived from `idBase` (a fresh UUIDv7) and the row's
 * number, so they sort by time like any other id. The caller reads `moved` and `on_hand` and throws
 * STOCK_INSUFFICIENT when a level was refused, which rolls the whole sale back.
 */
export async function takeForSale(tx: TxScope, s: { orderId: string; outletId: string; actor: string | null; idBase: string; recipes: boolean; lines: readonly SaleLine[] }): Promise<TakeResult[]> {
  const t = tx.tenantId;
  const lines = JSON.stringify(
    s.lines.map((l) => ({ item_id: l.itemId, variant_id: l.variantId, qty: l.quantity, track: l.trackStock, mods: l.modifiers.map((m) => ({ modifier_id: m.modifierId, q: m.quantity, linked: m.linkedVariantId })) })),
  );
  // The bill-of-materials expansion is planned only where it can apply: a tenant with recipes, or a line with a
  // modifier linked to a stock item. Other sales take their tracked lines as they are (a shorter statement).
  const uses = s.recipes ? sql.raw(RECIPE_USES) : s.lines.some((l) => l.modifiers.some((m) => m.linkedVariantId)) ? sql.raw(LINKED_USES) : sql.raw(PLAIN_USES);
  const idOf = (kind: 1 | 2 | 3, n: ReturnType<typeof sql>) => sql`(left(${s.idBase}::text, 32) || lpad(to_hex(${sql.raw(String(kind * 4096))} + ${n}), 4, '0'))::uuid`;
  return preparedRows<TakeResult>(
    tx,
    'inventory_take_for_sale',
    sql`
      WITH loc AS (${ensureOutletLocation(t, sql`${s.outletId}::uuid`)} RETURNING id),
      cfg AS (SELECT coalesce((SELECT allow_negative_stock FROM inventory_settings WHERE tenant_id = ${t}), true) AS allow_neg,
                     coalesce((SELECT costing_method = 'fifo' FROM inventory_settings WHERE tenant_id = ${t}), false) AS fifo),
      res AS (DELETE FROM stock_reservations WHERE tenant_id = ${t} AND order_id = ${s.orderId} RETURNING location_id, variant_id, quantity),
      rel AS (SELECT variant_id, sum(quantity) AS q FROM res WHERE location_id = ${s.outletId} GROUP BY variant_id),
      li AS (SELECT * FROM jsonb_to_recordset(${lines}::jsonb) AS x(item_id uuid, variant_id uuid, qty numeric, track boolean, mods jsonb)),
${uses}
      per AS (SELECT item_id, variant_id, sum(qty) AS qty FROM uses GROUP BY 1, 2),
      m AS (SELECT variant_id, sum(qty) AS qty FROM per GROUP BY 1),
      a AS (SELECT coalesce(m.variant_id, rel.variant_id) AS variant_id, coalesce(m.qty, 0) AS qty, coalesce(rel.q, 0) AS released,
                   row_number() OVER (ORDER BY coalesce(m.variant_id, rel.variant_id)) AS n
              FROM m FULL JOIN rel ON rel.variant_id = m.variant_id),
      lvl AS (
        INSERT INTO stock_levels AS s (tenant_id, location_id, variant_id, on_hand)
        SELECT ${t}, ${s.outletId}, a.variant_id, -a.qty FROM a
        ON CONFLICT (tenant_id, location_id, variant_id) DO UPDATE SET
          on_hand = s.on_hand + excluded.on_hand,
          reserved = s.reserved - (SELECT a.released FROM a WHERE a.variant_id = s.variant_id),
          updated_at = now()
        WHERE (SELECT allow_neg FROM cfg) OR excluded.on_hand >= 0
           OR s.on_hand - s.reserved + (SELECT a.released FROM a WHERE a.variant_id = s.variant_id) + excluded.on_hand >= 0
        RETURNING s.variant_id, s.on_hand, s.reserved, s.avg_cost, s.reorder_point),
      mv AS (
        INSERT INTO stock_movements (tenant_id, id, location_id, variant_id, type, quantity, unit_cost, reference_type, reference_id, actor_membership_id, occurred_at)
        SELECT ${t}, ${idOf(1, sql`a.n`)}, ${s.outletId}, a.variant_id, 'sale', -a.qty, lvl.avg_cost, 'order', ${s.orderId}, ${s.actor}, now()
          FROM a JOIN lvl ON lvl.variant_id = a.variant_id WHERE a.qty > 0),
      sc AS (
        INSERT INTO sale_costs (tenant_id, order_id, order_item_id, variant_id, location_id, quantity, unit_cost)
        SELECT ${t}, ${s.orderId}, per.item_id, per.variant_id, ${s.outletId}, per.qty, lvl.avg_cost FROM per JOIN lvl ON lvl.variant_id = per.variant_id WHERE per.qty > 0),
      ev AS (
        INSERT INTO outbox_events (tenant_id, id, type, aggregate_type, aggregate_id, payload)
        SELECT ${t}, ${idOf(2, sql`a.n`)}, 'stock.changed', 'stock_level', ${s.outletId}::text || ':' || a.variant_id::text,
               jsonb_build_object('movement_id', ${idOf(1, sql`a.n`)}, 'location_id', ${s.outletId}::uuid, 'variant_id', a.variant_id, 'type', 'sale', 'quantity', -a.qty,
                                  'reference_type', 'order', 'reference_id', ${s.orderId}::uuid, 'on_hand', lvl.on_hand, 'reserved', lvl.reserved, 'available', lvl.on_hand - lvl.reserved)
          FROM a JOIN lvl ON lvl.variant_id = a.variant_id WHERE a.qty > 0),
      low AS (
        INSERT INTO outbox_events (tenant_id, id, type, aggregate_type, aggregate_id, payload)
        SELECT ${t}, ${idOf(3, sql`a.n`)}, 'stock.low', 'stock_level', ${s.outletId}::text || ':' || a.variant_id::text,
               jsonb_build_object('location_id', ${s.outletId}::uuid, 'variant_id', a.variant_id, 'on_hand', lvl.on_hand, 'reserved', lvl.reserved,
                                  'available', lvl.on_hand - lvl.reserved, 'reorder_point', lvl.reorder_point)
          FROM a JOIN lvl ON lvl.variant_id = a.variant_id
         WHERE a.qty > 0 AND lvl.reorder_point IS NOT NULL AND lvl.on_hand - lvl.reserved <= lvl.reorder_point
           AND lvl.on_hand - lvl.reserved + a.qty - a.released > lvl.reorder_point)
      SELECT a.variant_id, a.qty, lvl.variant_id IS NOT NULL AS moved, lvl.on_hand, lvl.reserved, (SELECT allow_neg FROM cfg) AS allow_negative,
             cur.on_hand - cur.reserved + a.released AS available_before, (SELECT fifo FROM cfg) AS fifo, ${idOf(1, sql`a.n`)} AS movement_id,
             CASE WHEN (SELECT fifo FROM cfg) THEN (SELECT jsonb_agg(jsonb_build_object('item_id', per.item_id, 'qty', per.qty::text) ORDER BY per.item_id)
                                                      FROM per WHERE per.variant_id = a.variant_id AND per.qty > 0) END AS lines
        FROM a LEFT JOIN lvl ON lvl.variant_id = a.variant_id
        LEFT JOIN stock_levels cur ON cur.tenant_id = ${t} AND cur.location_id = ${s.outletId} AND cur.variant_id = a.variant_id`,
  );
}

export interface ReserveResult {
  variant_id: string;
  moved: boolean;
  on_hand: string | null;
  reserved: string | null;
  delta: string;
  allow_negative: boolean;
}

/**
 * Reserve-on-add: makes the order's reservations at the outlet's location match its track-stock lines, in ONE
 * statement that does nothing unless the tenant reserves on add. Levels' reserved move by the difference with
 * a guarded update (more reserved only while available covers it, unless negative stock is allowed); every
 * reservation of the order gets a fresh expiry.
 */
export async function reserveForOrder(tx: TxScope, s: { orderId: string; outletId: string; wants: readonly { variantId: string; quantity: string }[] }): Promise<ReserveResult[]> {
  const t = tx.tenantId;
  const wants = JSON.stringify(s.wants.map((w) => ({ variant_id: w.variantId, qty: w.quantity })));
  return preparedRows<ReserveResult>(
    tx,
    'inventory_reserve',
    sql`
      WITH cfg AS (SELECT allow_negative_stock AS allow_neg, reservation_ttl_minutes AS ttl FROM inventory_settings WHERE tenant_id = ${t} AND reservation_mode = 'reserve_on_add'),
      loc AS (${ensureOutletLocation(t, sql`${s.outletId}::uuid`, sql`EXISTS (SELECT 1 FROM cfg)`)} RETURNING id),
      w AS (SELECT * FROM jsonb_to_recordset(${wants}::jsonb) AS x(variant_id uuid, qty numeric) WHERE EXISTS (SELECT 1 FROM cfg)),
      old AS (SELECT variant_id, quantity FROM stock_reservations WHERE tenant_id = ${t} AND order_id = ${s.orderId} AND location_id = ${s.outletId}),
      d AS (SELECT coalesce(w.variant_id, old.variant_id) AS variant_id, coalesce(w.qty, 0) AS want, coalesce(w.qty, 0) - coalesce(old.quantity, 0) AS delta
              FROM w FULL JOIN old ON old.variant_id = w.variant_id WHERE EXISTS (SELECT 1 FROM cfg)),
      lvl AS (
        INSERT INTO stock_levels AS s (tenant_id, location_id, variant_id, reserved)
        SELECT ${t}, ${s.outletId}, d.variant_id, greatest(d.delta, 0) FROM d WHERE d.delta <> 0
        ON CONFLICT (tenant_id, location_id, variant_id) DO UPDATE SET
          reserved = s.reserved + (SELECT d.delta FROM d WHERE d.variant_id = s.variant_id), updated_at = now()
        WHERE (SELECT allow_neg FROM cfg) OR (SELECT d.delta FROM d WHERE d.variant_id = s.variant_id) <= 0
           OR s.on_hand - s.reserved - (SELECT d.delta FROM d WHERE d.variant_id = s.variant_id) >= 0
        RETURNING s.variant_id, s.on_hand, s.reserved),
      gone AS (
        DELETE FROM stock_reservations r USING d
         WHERE r.tenant_id = ${t} AND r.order_id = ${s.orderId} AND r.location_id = ${s.outletId} AND r.variant_id = d.variant_id AND d.want = 0),
      kept AS (
        INSERT INTO stock_reservations (tenant_id, order_id, location_id, variant_id, quantity, expires_at)
        SELECT ${t}, ${s.orderId}, ${s.outletId}, d.variant_id, d.want, now() + make_interval(mins => (SELECT ttl FROM cfg)) FROM d WHERE d.want > 0
        ON CONFLICT (tenant_id, order_id, location_id, variant_id) DO UPDATE SET quantity = excluded.quantity, expires_at = excluded.expires_at)
      SELECT d.variant_id, lvl.variant_id IS NOT NULL OR d.delta = 0 AS moved, lvl.on_hand, lvl.reserved, d.delta, (SELECT allow_neg FROM cfg) AS allow_negative
        FROM d LEFT JOIN lvl ON lvl.variant_id = d.variant_id`,
  );
}

/** Releases an order's reservations (a void): one statement, nothing when it had none. */
export async function releaseOrderReservations(tx: TxScope, orderId: string): Promise<void> {
  await preparedRows(
    tx,
    'inventory_release_order',
    sql`
      WITH res AS (DELETE FROM stock_reservations WHERE tenant_id = ${tx.tenantId} AND order_id = ${orderId} RETURNING location_id, variant_id, quantity),
      r AS (SELECT location_id, variant_id, sum(quantity) AS q FROM res GROUP BY 1, 2)
      UPDATE stock_levels s SET reserved = s.reserved - r.q, updated_at = now() FROM r
       WHERE s.tenant_id = ${tx.tenantId} AND s.location_id = r.location_id AND s.variant_id = r.variant_id`,
  );
}

/** Releases every expired reservation of every tenant (the expiry job, as kasir_system); returns how many. */
export async function releaseExpiredReservations(db: Db, batch = 1_000): Promise<number> {
  const rows = rowsOf<{ n: string | number }>(
    await db.execute(sql`
      WITH res AS (
        DELETE FROM stock_reservations WHERE (tenant_id, order_id, location_id, variant_id) IN (
          SELECT tenant_id, order_id, location_id, variant_id FROM stock_reservations WHERE expires_at <= now() LIMIT ${batch} FOR UPDATE SKIP LOCKED)
        RETURNING tenant_id, location_id, variant_id, quantity),
      r AS (SELECT tenant_id, location_id, variant_id, sum(quantity) AS q, count(*) AS n FROM res GROUP BY 1, 2, 3),
      u AS (UPDATE stock_levels s SET reserved = s.reserved - r.q, updated_at = now() FROM r
             WHERE s.tenant_id = r.tenant_id AND s.location_id = r.location_id AND s.variant_id = r.variant_id)
      SELECT coalesce(sum(n), 0) AS n FROM r`),
  );
  return Number(rows[0]?.n ?? 0);
}

/** What a refunded line's sale took: its location and unit cost, and how much of it is still unreturned. */
export async function saleCostsOf(tx: TxScope, itemIds: readonly string[]): Promise<{ order_item_id: string; variant_id: string; location_id: string; unit_cost: bigint | string; quantity: string; refunded_quantity: string }[]> {
  if (itemIds.length === 0) return [];
  return rowsOf(
    await tx.db.execute(sql`
      SELECT order_item_id, variant_id, location_id, unit_cost, quantity, refunded_quantity FROM sale_costs
       WHERE tenant_id = ${tx.tenantId} AND order_item_id IN (${sql.join(itemIds.map((i) => sql`${i}::uuid`), sql`, `)})`),
  );
}

export async function markCostsReturned(tx: TxScope, returns: readonly { itemId: string; variantId: string; quantity: string }[]): Promise<void> {
  if (returns.length === 0) return;
  const json = JSON.stringify(returns.map((r) => ({ item_id: r.itemId, variant_id: r.variantId, qty: r.quantity })));
  await tx.db.execute(sql`
    UPDATE sale_costs c SET refunded_quantity = least(c.quantity, c.refunded_quantity + x.qty)
      FROM jsonb_to_recordset(${json}::jsonb) AS x(item_id uuid, variant_id uuid, qty numeric)
     WHERE c.tenant_id = ${tx.tenantId} AND c.order_item_id = x.item_id AND c.variant_id = x.variant_id`);
}
