import { sql, type SQL } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { RECEIPT_DIGITS, seriesInfix, type ReceiptSeries } from './receipt-number.js';

/**
 * The gap-free counter, as a CTE other statements build on: increments (or starts at 1) the outlet's counter
 * for the series and returns the new value as `last_value`. The row lock it takes is held to commit, so
 * concurrent completions at one outlet take numbers one after the other; a rollback returns the number.
 */
export const nextReceiptSeqCte = (tx: TxScope, outletId: string, series: ReceiptSeries): SQL => sql`
  INSERT INTO receipt_counters (tenant_id, outlet_id, series, last_value) VALUES (${tx.tenantId}, ${outletId}, ${series}, 1)
  ON CONFLICT (tenant_id, outlet_id, series) DO UPDATE SET last_value = receipt_counters.last_value + 1, updated_at = now()
  RETURNING last_value`;

/** The receipt number for `seq` (an SQL expression), formatted exactly as formatReceiptNumber does. */
export const receiptNumberExpr = (outletCode: string, series: ReceiptSeries, seq: SQL): SQL =>
  sql`${outletCode} || ${seriesInfix(series)} || lpad((${seq})::text, greatest(${RECEIPT_DIGITS}, length((${seq})::text)), '0')`;

/** Takes the next number of the series on its own (refunds); the caller's transaction holds the counter. */
export async function nextReceiptSeq(tx: TxScope, outletId: string, series: ReceiptSeries): Promise<bigint> {
  const [r] = rowsOf<{ last_value: bigint | string }>(await tx.db.execute(nextReceiptSeqCte(tx, outletId, series)));
  return BigInt(r!.last_value);
}
