import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TxScope } from '../../src/platform/context.js';
import type { Database } from '../../src/platform/db.js';
import { rowsOf } from '../../src/platform/db.js';
import { JobWorker } from '../../src/platform/job-worker.js';
import { enqueueSystem } from '../../src/platform/jobs.js';
import { OutboxRelay, recordEvent, type OutboxEvent, type RelayOptions } from '../../src/platform/outbox.js';
import { usingPostgres } from '../support/database.js';
import { createTenant, startTestServer, type TestServer, type TestTenant } from '../support/server.js';
import { jobsOf, uniqueQueue, waitFor } from './support.js';

let s: TestServer;
let database: Database;
const stoppers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  s = await startTestServer();
  database = s.app.database;
});
afterEach(async () => {
  await Promise.all(stoppers.splice(0).map((stop) => stop()));
});
afterAll(() => s.stop());

function relay(opts: Partial<RelayOptions> = {}): OutboxRelay {
  const r = new OutboxRelay(database, { log: s.app.log, pollMs: 100, ...opts });
  stoppers.push(() => r.stop());
  return r;
}

const inTenant = <T>(t: TestTenant, work: (tx: TxScope) => Promise<T>) => database.transaction(t.tenantId, (db) => work({ db, tenantId: t.tenantId }));

const record = (tx: TxScope, n: number, type = 'test.happened') =>
  recordEvent(tx, { type, aggregateType: 'thing', aggregateId: `thing-${n}`, payload: { n } });

async function eventRow(id: string) {
  const [row] = await database.systemTransaction(async (db) =>
    rowsOf<{ published: boolean; attempts: number; last_error: string | null }>(
      await db.execute(sql`SELECT published_at IS NOT NULL AS published, attempts, last_error FROM outbox_events WHERE id = ${id}`),
    ),
  );
  return row;
}

describe('outbox relay', () => {
  it('delivers committed events to subscribers once, in order, and only after commit', async () => {
    const t = await createTenant(s.app);
    const seen: OutboxEvent[] = [];
    const r = relay();
    r.subscribe('test.*', async (e) => void (e.tenantId === t.tenantId && seen.push(e)));
    await r.start();

    const ids: string[] = [];
    let during: Promise<void> | undefined;
    await inTenant(t, async (tx) => {
      for (let n = 0; n < 5; n++) ids.push(await record(tx, n));
      // On PostgreSQL this pass runs while the transaction is open; on PGlite it waits for the commit.
      during = r.poll();
      if (usingPostgres()) await during;
      expect(seen).toEqual([]);
    });
    await during;
    await inTenant(t, async (tx) => {
      for (let n = 5; n < 8; n++) ids.push(await record(tx, n));
    });

    await waitFor(() => seen.length >= 8, 'eight events');
    await r.poll();
    await r.poll();
    expect(seen.map((e) => e.id)).toEqual(ids);
    expect([...ids].sort()).toEqual(ids);
    expect(seen[3]).toMatchObject({ tenantId: t.tenantId, type: 'test.happened', aggregateType: 'thing', aggregateId: 'thing-3', payload: { n: 3 } });
    expect(seen[3]?.occurredAt).toBeInstanceOf(Date);
    expect(await eventRow(ids[7]!)).toMatchObject({ published: true, attempts: 0 });
  });

  it('never delivers an event whose transaction rolled back', async () => {
    const t = await createTenant(s.app);
    const seen: number[] = [];
    const r = relay();
    r.subscribe('test.*', async (e) => void (e.tenantId === t.tenantId && seen.push((e.payload as { n: number }).n)));
    await r.start();
    await expect(
      inTenant(t, async (tx) => {
        await record(tx, 1);
        throw new Error('payment declined');
      }),
    ).rejects.toThrow('payment declined');
    await inTenant(t, (tx) => record(tx, 2));
    await waitFor(() => seen.includes(2), 'the committed event');
    await r.poll();
    expect(seen).toEqual([2]);
  });

  it('lets a subscriber enqueue a job for the event’s tenant atomically with publishing it', async () => {
    const t = await createTenant(s.app);
    const q = uniqueQueue('from-event');
    const r = relay();
    r.subscribe('test.completed', async (e, db) => {
      await enqueueSystem(db, q, { eventId: e.id }, { tenantId: e.tenantId });
    });
    const ran: { tenantId: string | null; eventId: string }[] = [];
    const w = new JobWorker(database, { log: s.app.log, pollMs: 100 });
    w.handle<{ eventId: string }>(q, async (job) => void ran.push({ tenantId: job.tenantId, eventId: job.payload.eventId }));
    stoppers.push(() => w.stop());
    await Promise.all([r.start(), w.start()]);

    const id = await inTenant(t, (tx) => record(tx, 1, 'test.completed'));
    await waitFor(() => ran.length > 0, 'the job the event enqueued');
    await r.poll();
    await w.poll();
    expect(ran).toEqual([{ tenantId: t.tenantId, eventId: id }]);
    expect(await jobsOf(database, q)).toHaveLength(1);
  });

  it('retries a failing subscriber and holds later events back until it succeeds', async () => {
    const t = await createTenant(s.app);
    const q = uniqueQueue('flaky-sub');
    const seen: number[] = [];
    let triesOf2 = 0;
    const r = relay({ backoffMs: 5 });
    r.subscribe('test.*', async (e, db) => {
      if (e.tenantId !== t.tenantId) return;
      await enqueueSystem(db, q, {}, { tenantId: e.tenantId }); // undone with the failed attempt
      const n = (e.payload as { n: number }).n;
      if (n === 2 && ++triesOf2 === 1) throw new Error('webhook target table locked');
      seen.push(n);
    });
    const ids = await inTenant(t, async (tx) => [await record(tx, 1), await record(tx, 2), await record(tx, 3)]);
    await r.start();
    await waitFor(() => seen.length >= 3, 'all three events');
    await r.poll(); // subscribers run inside the relay's transaction: let it commit
    expect(seen).toEqual([1, 2, 3]);
    expect(triesOf2).toBe(2);
    expect(await eventRow(ids[1]!)).toMatchObject({ published: true, attempts: 1, last_error: 'webhook target table locked' });
    expect(await jobsOf(database, q)).toHaveLength(3);
  });

  it('sets an event aside after max attempts and goes on with the next', async () => {
    const t = await createTenant(s.app);
    const seen: number[] = [];
    const r = relay({ backoffMs: 5, maxAttempts: 2 });
    r.subscribe('test.*', async (e) => {
      if (e.tenantId !== t.tenantId) return;
      const n = (e.payload as { n: number }).n;
      if (n === 1) throw new Error('cannot serialize');
      seen.push(n);
    });
    const ids = await inTenant(t, async (tx) => [await record(tx, 1), await record(tx, 2)]);
    await r.start();
    await waitFor(() => seen.includes(2), 'the event after the bad one');
    await r.poll(); // subscribers run inside the relay's transaction: let it commit
    expect(seen).toEqual([2]);
    expect(await eventRow(ids[0]!)).toMatchObject({ published: true, attempts: 2, last_error: 'cannot serialize' });
  });

  it('delivers each event once, in order, with several relays running', async () => {
    const t = await createTenant(s.app);
    const seen: string[] = [];
    const relays = [relay(), relay(), relay()];
    for (const r of relays) r.subscribe('*', async (e) => void (e.tenantId === t.tenantId && seen.push(e.id)));
    await Promise.all(relays.map((r) => r.start()));
    const ids: string[] = [];
    for (let batch = 0; batch < 6; batch++) {
      await inTenant(t, async (tx) => {
        for (let n = 0; n < 5; n++) ids.push(await record(tx, batch * 5 + n));
      });
    }
    await waitFor(() => seen.length >= ids.length, 'every event');
    await Promise.all(relays.map((r) => r.poll()));
    expect(seen).toEqual([...ids].sort());
  });

  it('carries bigint money in a payload as a JSON integer', async () => {
    const t = await createTenant(s.app);
    const seen: unknown[] = [];
    const r = relay();
    r.subscribe('order.completed', async (e) => void (e.tenantId === t.tenantId && seen.push(e.payload)));
    await inTenant(t, (tx) =>
      recordEvent(tx, { type: 'order.completed', aggregateType: 'order', aggregateId: 'o-1', payload: { total: { amount: 2_500_000n, currency: 'IDR' } } }),
    );
    await r.poll();
    expect(seen).toEqual([{ total: { amount: 2_500_000, currency: 'IDR' } }]);
  });

  it('refuses an event type that is not dotted lower case', async () => {
    const t = await createTenant(s.app);
    await expect(inTenant(t, (tx) => record(tx, 1, 'OrderCompleted'))).rejects.toThrow(/dotted lower case/);
  });
});
