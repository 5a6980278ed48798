import { sql } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { NIL_UUID } from '../../platform/prepared.js';

export interface LocationRow {
  id: string;
  name: string;
  kind: 'outlet' | 'warehouse';
  outlet_id: string | null;
  is_default: boolean;
  archived_at: Date | string | null;
  created_at: Date | string;
}

/**
 * Locations as the tenant sees them: its stock_locations rows, plus a default selling location for every
 * outlet that has none yet (it is written on first use, with the outlet's own id; see ensureLocation). Reads
 * the tenancy module's outlets table for that, as inventory's one cross-module read.
 */
const visible = (t: string) => sql`
  SELECT id, name, kind, outlet_id, is_default, archived_at, created_at FROM stock_locations WHERE tenant_id = ${t}
  UNION ALL
  SELECT o.id, o.name, 'outlet', o.id, true, NULL::timestamptz, o.created_at FROM outlets o
   WHERE o.tenant_id = ${t} AND NOT EXISTS (SELECT 1 FROM stock_locations l WHERE l.tenant_id = ${t} AND l.id = o.id)`;

export const locationRepository = {
  async list(tx: TxScope, limit: number, after: string | undefined): Promise<LocationRow[]> {
    return rowsOf<LocationRow>(await tx.db.execute(sql`SELECT * FROM (${visible(tx.tenantId)}) v WHERE id > ${after ?? NIL_UUID} ORDER BY id LIMIT ${limit + 1}`));
  },

  async byId(tx: TxScope, id: string): Promise<LocationRow | undefined> {
    return rowsOf<LocationRow>(await tx.db.execute(sql`SELECT * FROM (${visible(tx.tenantId)}) v WHERE id = ${id}`))[0];
  },

  async insert(tx: TxScope, row: { id: string; name: string; kind: string; outletId: string | null }): Promise<LocationRow> {
    const [r] = rowsOf<LocationRow>(
      await tx.db.execute(sql`
        INSERT INTO stock_locations (tenant_id, id, name, kind, outlet_id) VALUES (${tx.tenantId}, ${row.id}, ${row.name}, ${row.kind}, ${row.outletId})
        RETURNING id, name, kind, outlet_id, is_default, archived_at, created_at`),
    );
    return r!;
  },

  /** Writes an outlet's default location if `id` is an outlet without one; returns the location, if any. */
  async ensure(tx: TxScope, id: string): Promise<LocationRow | undefined> {
    await tx.db.execute(ensureOutletLocation(tx.tenantId, sql`${id}::uuid`));
    return rowsOf<LocationRow>(
      await tx.db.execute(sql`SELECT id, name, kind, outlet_id, is_default, archived_at, created_at FROM stock_locations WHERE tenant_id = ${tx.tenantId} AND id = ${id}`),
    )[0];
  },

  async update(tx: TxScope, id: string, set: { name?: string | undefined; archived?: boolean | undefined }): Promise<LocationRow | undefined> {
    return rowsOf<LocationRow>(
      await tx.db.execute(sql`
        UPDATE stock_locations SET name = coalesce(${set.name ?? null}, name),
               archived_at = CASE WHEN ${set.archived ?? null}::boolean IS NULL THEN archived_at WHEN ${set.archived ?? null}::boolean THEN coalesce(archived_at, now()) ELSE NULL END
         WHERE tenant_id = ${tx.tenantId} AND id = ${id}
        RETURNING id, name, kind, outlet_id, is_default, archived_at, created_at`),
    )[0];
  },
};

/** The statement (or CTE body) that writes outlet `outletId`'s default location if it is missing. */
export const ensureOutletLocation = (t: string, outletId: ReturnType<typeof sql>, also: ReturnType<typeof sql> = sql`true`) => sql`
  INSERT INTO stock_locations (tenant_id, id, name, kind, outlet_id, is_default)
  SELECT ${t}, o.id, o.name, 'outlet', o.id, true FROM outlets o WHERE o.tenant_id = ${t} AND o.id = ${outletId} AND ${also}
  ON CONFLICT (tenant_id, id) DO NOTHING`;
