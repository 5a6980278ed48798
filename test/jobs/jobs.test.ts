import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TxScope } from '../../src/platform/context.js';
import { openDatabase, type Database } from '../../src/platform/db.js';
import { rowsOf } from '../../src/platform/db.js';
import { JobWorker, type HandleOptions, type Job } from '../../src/platform/job-worker.js';
import { claimJobs, enqueue, enqueueSystem } from '../../src/platform/jobs.js';
import { testDatabase, usingPostgres } from '../support/database.js';
import { createTenant, startTestServer, type TestServer, type TestTenant } from '../support/server.js';
import { jobsOf, uniqueQueue, waitFor } from './support.js';

let s: TestServer;
let database: Database;
const running: JobWorker[] = [];
const extraDatabases: Database[] = [];

beforeAll(async () => {
  s = await startTestServer();
  database = s.app.database;
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((w) => w.stop()));
});
afterAll(async () => {
  await Promise.all(extraDatabases.splice(0).map((d) => d.close()));
  await s.stop();
});

/** A started worker with one handler; stopped after the test. Polls fast so a missed wake-up costs little. */
async function worker<P>(queue: string, fn: (job: Job<P>) => Promise<void>, opts: HandleOptions = {}, db = database): Promise<JobWorker> {
  const w = new JobWorker(db, { log: s.app.log, pollMs: 100 });
  w.handle(queue, fn, opts);
  running.push(w);
  await w.start();
  return w;
}

const inTenant = <T>(t: TestTenant, work: (tx: TxScope) => Promise<T>) =>
  database.transaction(t.tenantId, (db) => work({ db, tenantId: t.tenantId }));

describe('job queue', () => {
  it('never runs a job whose transaction rolled back, and runs a committed one exactly once', async () => {
    const t = await createTenant(s.app);
    const q = uniqueQueue('commit');
    const ran: string[] = [];
    const w = await worker<{ n: string }>(q, async (job) => void ran.push(job.payload.n));

    await expect(
      inTenant(t, async (tx) => {
        await enqueue(tx, q, { n: 'rolled back' });
        throw new Error('the sale failed');
      }),
    ).rejects.toThrow('the sale failed');
    const id = await inTenant(t, (tx) => enqueue(tx, q, { n: 'committed' }));

    await waitFor(async () => (await jobsOf(database, q)).find((j) => j.state === 'done'), 'the committed job to finish');
    await w.poll();
    await w.poll();
    expect(ran).toEqual(['committed']);
    const rows = await jobsOf(database, q);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id, tenant_id: t.tenantId, state: 'done', attempts: 1 });
  });

  it('starts a committed job on its NOTIFY, without waiting for a poll', async () => {
    const t = await createTenant(s.app);
    const q = uniqueQueue('notify');
    const w = new JobWorker(database, { log: s.app.log, pollMs: 3_600_000 });
    w.handle(q, async () => undefined);
    running.push(w);
    await w.start();
    await inTenant(t, (tx) => enqueue(tx, q));
    await waitFor(async () => (await jobsOf(database, q)).find((j) => j.state === 'done'), 'the job to run on its notification');
  });

  it('retries a failing handler with backoff and marks the job failed with its last error after max attempts', async () => {
    const t = await createTenant(s.app);
    const q = uniqueQueue('failing');
    const attempts: number[] = [];
    await worker(q, async (job) => {
      attempts.push(job.attempt);
      throw new Error(`printer offline (attempt ${job.attempt})`);
    }, { backoffMs: 5 });

    const id = await inTenant(t, (tx) => enqueue(tx, q, {}, { maxAttempts: 3 }));
    const [failed] = await waitFor(async () => {
      const rows = await jobsOf(database, q);
      return rows[0]?.state === 'failed' && rows;
    }, 'the job to fail for good');
    expect(failed).toMatchObject({ id, state: 'failed', attempts: 3, max_attempts: 3, last_error: 'printer offline (attempt 3)' });
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('finishes a job that succeeds on a retry', async () => {
    const t = await createTenant(s.app);
    const q = uniqueQueue('flaky');
    await worker(q, async (job) => {
      if (job.attempt === 1) throw new Error('timeout talking to the provider');
    }, { backoffMs: 5 });
    await inTenant(t, (tx) => enqueue(tx, q));
    const done = await waitFor(async () => (await jobsOf(database, q)).find((j) => j.state === 'done'), 'the retried job to finish');
    expect(done).toMatchObject({ attempts: 2, last_error: 'timeout talking to the provider' });
  });

  it('runs a job again when the worker that claimed it never finished and its lease expired', async () => {
    const t = await createTenant(s.app);
    const q = uniqueQueue('lease');
    const id = await inTenant(t, (tx) => enqueue(tx, q, { ticket: 7 }));

    // A worker claims the job and dies: nothing ever finishes or renews it.
    const [claimed] = await database.systemTransaction((db) => claimJobs(db, q, 10, 60_000));
    expect(claimed).toMatchObject({ id, attempts: 1 });
    // While its lease holds, nobody else may take it.
    expect(await database.systemTransaction((db) => claimJobs(db, q, 10, 60_000))).toEqual([]);
    // The lease runs out.
    await database.systemTransaction((db) => db.execute(sql`UPDATE jobs SET locked_until = now() - interval '1 second' WHERE id = ${id}`));

    const ran: { attempt: number; payload: unknown }[] = [];
    await worker(q, async (job) => void ran.push({ attempt: job.attempt, payload: job.payload }));
    await waitFor(async () => (await jobsOf(database, q)).find((j) => j.state === 'done'), 'the abandoned job to be taken over');
    expect(ran).toEqual([{ attempt: 2, payload: { ticket: 7 } }]);
  });

  it('marks a job failed when its lease expires on the last attempt', async () => {
    const t = await createTenant(s.app);
    const q = uniqueQueue('lease-last');
    const id = await inTenant(t, (tx) => enqueue(tx, q, {}, { maxAttempts: 1 }));
    await database.systemTransaction((db) => claimJobs(db, q, 1, 60_000));
    await database.systemTransaction((db) => db.execute(sql`UPDATE jobs SET locked_until = now() - interval '1 second' WHERE id = ${id}`));

    const ran: string[] = [];
    await worker(q, async (job) => void ran.push(job.id));
    const [row] = await waitFor(async () => {
      const rows = await jobsOf(database, q);
      return rows[0]?.state === 'failed' && rows;
    }, 'the abandoned job to be failed');
    expect(row?.last_error).toMatch(/lease expired/);
    expect(ran).toEqual([]);
  });

  it('never runs one job twice with several workers claiming at once', async () => {
    const t = await createTenant(s.app);
    const q = uniqueQueue('race');
    const total = 150;
    const ids = await inTenant(t, async (tx) => {
      const out: string[] = [];
      for (let i = 0; i < total; i++) out.push((await enqueue(tx, q, { i }))!);
      return out;
    });
    const runs = new Map<string, number>();
    const handler = async (job: Job) => {
      runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, Math.random() * 3));
    };
    // On PostgreSQL each worker gets its own pool, as separate processes would.
    const { url } = await testDatabase();
    for (let i = 0; i < 3; i++) {
      let db = database;
      if (usingPostgres()) {
        db = await openDatabase({ url, dataDir: '', poolSize: 3, appRole: 'kasir_app' });
        extraDatabases.push(db);
      }
      await worker(q, handler, { concurrency: 4 }, db);
    }
    await waitFor(async () => (await jobsOf(database, q)).every((j) => j.state === 'done'), 'every job to finish');
    expect([...runs.keys()].sort()).toEqual([...ids].sort());
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect((await jobsOf(database, q)).every((j) => j.attempts === 1)).toBe(true);
  });

  it('drops a second job with the same singleton key while the first is pending, per tenant', async () => {
    const a = await createTenant(s.app);
    const b = await createTenant(s.app);
    const q = uniqueQueue('singleton');
    const first = await inTenant(a, (tx) => enqueue(tx, q, {}, { singletonKey: 'recount' }));
    expect(await inTenant(a, (tx) => enqueue(tx, q, {}, { singletonKey: 'recount' }))).toBeUndefined();
    expect(await inTenant(b, (tx) => enqueue(tx, q, {}, { singletonKey: 'recount' }))).toBeDefined();
    expect(await database.systemTransaction((db) => enqueueSystem(db, q, {}, { singletonKey: 'recount' }))).toBeDefined();
    expect(await database.systemTransaction((db) => enqueueSystem(db, q, {}, { singletonKey: 'recount' }))).toBeUndefined();

    await worker(q, async () => undefined);
    await waitFor(async () => (await jobsOf(database, q)).every((j) => j.state === 'done'), 'the singletons to run');
    // Once the first has run, the key is free again.
    const again = await inTenant(a, (tx) => enqueue(tx, q, {}, { singletonKey: 'recount' }));
    expect(again).toBeDefined();
    expect(again).not.toBe(first);
    expect((await jobsOf(database, q)).length).toBe(4);
  });

  it('fires a recurring schedule once per period however many workers register it', async () => {
    const q = uniqueQueue('schedule');
    const name = `${q}.hourly`;
    let runs = 0;
    const workers = [0, 1, 2].map(() => {
      const w = new JobWorker(database, { log: s.app.log, pollMs: 100 });
      w.handle(q, async () => void runs++);
      w.schedule(name, q, 3_600_000, { what: 'purge' });
      running.push(w);
      return w;
    });
    await Promise.all(workers.map((w) => w.start()));
    await waitFor(async () => (await jobsOf(database, q)).find((j) => j.state === 'done'), 'the first scheduled run');
    for (const w of workers) await w.poll();
    expect(runs).toBe(1);
    expect(await jobsOf(database, q)).toHaveLength(1);
    const [next] = await database.systemTransaction(async (db) =>
      rowsOf<{ later: boolean }>(await db.execute(sql`SELECT next_run_at > now() + interval '59 minutes' AS later FROM job_schedules WHERE name = ${name}`)),
    );
    expect(next?.later).toBe(true);

    // An hour passes.
    await database.systemTransaction((db) => db.execute(sql`UPDATE job_schedules SET next_run_at = now() - interval '1 second' WHERE name = ${name}`));
    await Promise.all(workers.map((w) => w.poll()));
    await waitFor(async () => (await jobsOf(database, q)).filter((j) => j.state === 'done').length === 2, 'the second scheduled run');
    for (const w of workers) await w.poll();
    expect(runs).toBe(2);
    expect((await jobsOf(database, q)).map((j) => j.payload)).toEqual([{ what: 'purge' }, { what: 'purge' }]);
  });

  it("gives a handler its job's tenant: tenant A's job cannot read tenant B's rows", async () => {
    const a = await createTenant(s.app);
    const b = await createTenant(s.app);
    const q = uniqueQueue('tenancy');
    await inTenant(b, (tx) => enqueue(tx, q, { of: 'b' }));
    const seen: Record<string, unknown> = {};
    const w = new JobWorker(database, { log: s.app.log, pollMs: 100 });
    w.handle<{ of: string }>(q, async (job) => {
      if (job.payload.of !== 'a') return;
      seen.tenant = job.tenantId;
      await job.inTenant(async (tx) => {
        const outlets = rowsOf<{ tenant_id: string }>(await tx.db.execute(sql`SELECT tenant_id FROM outlets`));
        seen.outletTenants = [...new Set(outlets.map((o) => o.tenant_id))];
        seen.bOutlets = rowsOf(await tx.db.execute(sql`SELECT id FROM outlets WHERE tenant_id = ${b.tenantId}`)).length;
        seen.bJobs = rowsOf(await tx.db.execute(sql`SELECT id FROM jobs WHERE tenant_id = ${b.tenantId}`)).length;
      });
    });
    running.push(w);
    await inTenant(a, (tx) => enqueue(tx, q, { of: 'a' }));
    await w.start();
    await waitFor(async () => (await jobsOf(database, q)).every((j) => j.state === 'done'), 'both jobs to run');
    expect(seen).toEqual({ tenant: a.tenantId, outletTenants: [a.tenantId], bOutlets: 0, bJobs: 0 });
  });

  it('refuses a tenant transaction to a platform job', async () => {
    const q = uniqueQueue('platform');
    await worker(q, async (job) => {
      await job.inTenant(async () => undefined);
    }, { backoffMs: 5 });
    await database.systemTransaction((db) => enqueueSystem(db, q, {}, { maxAttempts: 1 }));
    const [row] = await waitFor(async () => {
      const rows = await jobsOf(database, q);
      return rows[0]?.state === 'failed' && rows;
    }, 'the platform job to fail');
    expect(row?.last_error).toMatch(/belongs to no tenant/);
  });

  it('reports queue depth at scrape time and counts outcomes', async () => {
    const t = await createTenant(s.app);
    const q = uniqueQueue('metrics');
    await inTenant(t, (tx) => enqueue(tx, q));
    await inTenant(t, (tx) => enqueue(tx, q, {}, { runAt: new Date(Date.now() + 3_600_000) }));
    const scrape = async () => (await s.app.metrics.render()).body;
    let body = await scrape();
    expect(body).toContain(`kasir_job_queue_depth{queue="${q}",state="pending"} 1`);
    expect(body).toContain(`kasir_job_queue_depth{queue="${q}",state="delayed"} 1`);

    s.app.jobs.handle(q, async () => undefined);
    await s.app.jobs.poll();
    body = await waitFor(async () => {
      const b = await scrape();
      return b.includes(`kasir_jobs_processed_total{queue="${q}",outcome="done"} 1`) && b;
    }, 'the ready job to be counted');
    expect(body).toContain(`kasir_job_queue_depth{queue="${q}",state="pending"} 0`);
    expect(body).toContain(`kasir_job_queue_depth{queue="${q}",state="delayed"} 1`);
  });
});
