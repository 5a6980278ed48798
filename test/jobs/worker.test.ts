import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TxScope } from '../../src/platform/context.js';
import { rowsOf } from '../../src/platform/db.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { recordEvent } from '../../src/platform/outbox.js';
import { MAINTENANCE_QUEUES, startWorker } from '../../src/worker.js';
import { createTenant, startTestServer, type TestServer } from '../support/server.js';
import { jobsOf, waitFor } from './support.js';

let s: TestServer;

beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.stop());

async function storeKey(tx: TxScope, key: string, expiresIn: string): Promise<void> {
  await tx.db.execute(sql`
    INSERT INTO idempotency_keys (tenant_id, key, scope, request_hash, state, lock_token, locked_until, expires_at)
    VALUES (${tx.tenantId}, ${key}, 'POST /api/v1/outlets', 'h', 'done', ${uuidv7()}, now(), now() + ${expiresIn}::interval)`);
}

describe('startWorker', () => {
  it('purges expired idempotency keys on its hourly schedule, relays events, and stops cleanly', async () => {
    const { database } = s.app;
    const t = await createTenant(s.app);
    await database.transaction(t.tenantId, async (db) => {
      await storeKey({ db, tenantId: t.tenantId }, 'old', '-1 hour');
      await storeKey({ db, tenantId: t.tenantId }, 'fresh', '6 days');
    });
    const seen: string[] = [];
    s.app.outbox.subscribe('test.*', async (e) => void (e.tenantId === t.tenantId && seen.push(e.type)));

    const worker = await startWorker(s.app);
    try {
      // Due at once on a fresh database; if an earlier run in this database already fired it, make it due.
      await database.systemTransaction((db) =>
        db.execute(sql`UPDATE job_schedules SET next_run_at = now() WHERE name = ${MAINTENANCE_QUEUES.purgeIdempotencyKeys}`),
      );
      await s.app.jobs.poll();
      const keys = () =>
        database.transaction(t.tenantId, async (db) => rowsOf<{ key: string }>(await db.execute(sql`SELECT key FROM idempotency_keys ORDER BY key`)).map((r) => r.key));
      await waitFor(async () => !(await keys()).includes('old'), 'the expired key to be purged');
      expect(await keys()).toEqual(['fresh']);

      await database.transaction(t.tenantId, (db) =>
        recordEvent({ db, tenantId: t.tenantId }, { type: 'test.started', aggregateType: 'worker', aggregateId: '1', payload: {} }),
      );
      await waitFor(() => seen.length > 0, 'the event to be relayed');
      expect(seen).toEqual(['test.started']);
    } finally {
      await worker.stop();
    }

    const [schedule] = await database.systemTransaction(async (db) =>
      rowsOf<{ later: boolean }>(
        await db.execute(sql`SELECT next_run_at > now() + interval '59 minutes' AS later FROM job_schedules WHERE name = ${MAINTENANCE_QUEUES.purgeIdempotencyKeys}`),
      ),
    );
    expect(schedule?.later).toBe(true);
    const runs = await jobsOf(database, MAINTENANCE_QUEUES.purgeIdempotencyKeys);
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.every((j) => j.state === 'done' && j.tenant_id === null)).toBe(true);
  });
});
