import { sql } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';

/**
 * The tenant's catalog change clock. `tick` takes the tenant's clock row lock (held to commit) and returns the
 * next change sequence number; every catalog row written in the transaction is stamped with it. Because the lock
 * serializes catalog writers per tenant, change_seq order is commit order, so a register that synced up to N
 * has seen every change ≤ N (GET /api/v1/catalog/changes?since=N). Call it once per transaction, before writing.
 */
export async function tickCatalogClock(tx: TxScope): Promise<bigint> {
  const r = await tx.db.execute(sql`
    INSERT INTO catalog_clocks (tenant_id, seq) VALUES (${tx.tenantId}, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET seq = catalog_clocks.seq + 1
    RETURNING seq`);
  return BigInt(rowsOf<{ seq: string | bigint }>(r)[0]!.seq);
}

/** The latest change sequence number of the tenant (0 before any catalog write). */
export async function currentCatalogSeq(tx: TxScope): Promise<bigint> {
  const r = await tx.db.execute(sql`SELECT seq FROM catalog_clocks WHERE tenant_id = ${tx.tenantId}`);
  const row = rowsOf<{ seq: string | bigint }>(r)[0];
  return row ? BigInt(row.seq) : 0n;
}

/** Records a hard deletion for the change feed. */
export async function recordTombstone(tx: TxScope, entityType: string, entityId: string, seq: bigint): Promise<void> {
  await tx.db.execute(sql`
    INSERT INTO catalog_tombstones (tenant_id, entity_type, entity_id, change_seq) VALUES (${tx.tenantId}, ${entityType}, ${entityId}, ${seq})
    ON CONFLICT (tenant_id, entity_type, entity_id) DO UPDATE SET change_seq = excluded.change_seq, deleted_at = now()`);
}
