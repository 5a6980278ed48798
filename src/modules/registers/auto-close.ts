import { sql } from 'drizzle-orm';
import type { Database } from '../../platform/db.js';
import { rowsOf } from '../../platform/db.js';
import { cashSessionRepository } from './cash-session.repository.js';
import { closeLocked } from './cash-session.service.js';

export const AUTO_CLOSE_QUEUE = 'registers.auto_close_sessions';
/** How often the worker looks for sessions left open past their outlet's business-day cut-off. */
export const AUTO_CLOSE_EVERY_MS = 15 * 60_000;

/** A session is stale when the business day it was opened in (outlet time zone and cut-off) is over. */
const stale = sql`((s.opened_at AT TIME ZONE o.time_zone) - make_interval(mins => o.business_day_cutoff_minutes))::date
                < ((now() AT TIME ZONE o.time_zone) - make_interval(mins => o.business_day_cutoff_minutes))::date`;

/**
 * Closes every session left OPEN past its business day (where the tenant has auto_close on): uncounted, so the
 * expected cash is recorded as counted, and flagged auto_closed + needs_review for a person to count and look
 * at. Each session closes in its own tenant transaction, through the same path as a manual close (Z report,
 * events). Returns how many it closed; safe to run on several workers at once (the row lock decides).
 */
export async function autoCloseStaleSessions(database: Database, batch = 200): Promise<number> {
  const due = await database.systemTransaction(async (db) =>
    rowsOf<{ tenant_id: string; id: string }>(
      await db.execute(sql`
        SELECT s.tenant_id, s.id FROM cash_sessions s
          JOIN outlets o ON o.tenant_id = s.tenant_id AND o.id = s.outlet_id
          LEFT JOIN register_settings rs ON rs.tenant_id = s.tenant_id
         WHERE s.status = 'OPEN' AND coalesce(rs.auto_close, true) AND ${stale}
         ORDER BY s.opened_at LIMIT ${batch}`),
    ),
  );
  let closed = 0;
  for (const d of due) {
    const done = await database.transaction(d.tenant_id, async (db) => {
      const tx = { db, tenantId: d.tenant_id };
      const s = await cashSessionRepository.byId(tx, d.id, true);
      if (!s || s.status !== 'OPEN') return false;
      await closeLocked(tx, s, { counted: null, count: null, note: 'closed automatically after the business-day cut-off', by: null, mayApprove: false, auto: true });
      return true;
    });
    if (done) closed += 1;
  }
  return closed;
}
