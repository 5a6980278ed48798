import { sql } from 'drizzle-orm';
import type { Database } from '../../src/platform/db.js';
import { rowsOf } from '../../src/platform/db.js';
import { uuidv7 } from '../../src/platform/ids.js';

/**
 * Waits until `probe` returns something truthy, checking every 20 ms. The bound is generous on purpose: it
 * only decides when to give up on a broken test, never whether a correct run was fast enough.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, what: string, boundMs = 30_000): Promise<T> {
  const giveUpAt = Date.now() + boundMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > giveUpAt) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A queue name no other test uses, so tests sharing the worker's database never see each other's jobs. */
export const uniqueQueue = (label: string): string => `test.${label}.${uuidv7()}`;

export interface JobRow {
  id: string;
  tenant_id: string | null;
  state: 'pending' | 'running' | 'done' | 'failed';
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  payload: Record<string, unknown>;
}

/** Every job of `queue`, oldest first, as the platform sees them (kasir_system). */
export async function jobsOf(database: Database, queue: string): Promise<JobRow[]> {
  return database.systemTransaction(async (db) =>
    rowsOf<JobRow>(
      await db.execute(sql`
        SELECT id, tenant_id, state, attempts, max_attempts, last_error, payload FROM jobs WHERE queue = ${queue} ORDER BY id`),
    ),
  );
}
