import { sql } from 'drizzle-orm';
import type { Log } from '../../platform/context.js';
import { rowsOf, type Database } from '../../platform/db.js';
import type { JobWorker } from '../../platform/job-worker.js';
import { ledgerRepository } from './ledger.repository.js';

export const LOYALTY_EXPIRY_QUEUE = 'loyalty.expire_points';
const HOUR_MS = 3_600_000;

/**
 * Expires points past their expiry in every tenant: finds the tenants with such buckets (system role, across
 * tenants), then expires customer by customer, each in its own short tenant transaction (the customer's row
 * lock is held only for that customer). Returns the points expired.
 */
export async function expireAllTenants(database: Database, now = new Date()): Promise<bigint> {
  const tenants = await database.systemTransaction(async (db) =>
    rowsOf<{ tenant_id: string }>(await db.execute(sql`SELECT DISTINCT tenant_id FROM loyalty_entries WHERE account = 'points' AND remaining > 0 AND expires_at <= ${now.toISOString()}::timestamptz LIMIT 1000`)),
  );
  let total = 0n;
  for (const { tenant_id: tenantId } of tenants) {
    const ids = await database.transaction(tenantId, (db) => ledgerRepository.customersWithExpired({ db, tenantId }, now, 10_000));
    for (const id of ids) total += await database.transaction(tenantId, (db) => ledgerRepository.expire({ db, tenantId }, id, now));
  }
  return total;
}

/** The hourly expiry job, run by whichever worker gets there first. */
export function registerLoyaltyJobs(jobs: JobWorker, database: Database, log: Log): void {
  jobs.handle(LOYALTY_EXPIRY_QUEUE, async () => {
    const expired = await expireAllTenants(database);
    if (expired > 0n) log.info({ expired: expired.toString() }, 'expired loyalty points');
  });
  jobs.schedule(LOYALTY_EXPIRY_QUEUE, LOYALTY_EXPIRY_QUEUE, HOUR_MS);
}
