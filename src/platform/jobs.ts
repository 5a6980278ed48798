import { sql } from 'drizzle-orm';
import type { TxScope } from './context.js';
import type { Db } from './db.js';
import { notifyAfterCommit } from './db.js';
import { affected, rowsOf } from './db.js';
import { uuidv7 } from './ids.js';

/**
 * Kasir's job queue, on the `jobs` table of the business database (PostgreSQL or PGlite): enqueueing, and the
 * statements the worker (job-worker.ts) runs. Not pg-boss: that creates its own schema and tables at run time,
 * which our roles forbid (requests run as kasir_app, which owns nothing). Delivery is at least once: a job whose
 * worker dies is run again when its lease runs out, so handlers must be idempotent (dedupe by job id, or by the
 * event id in the payload).
 */
export const JOBS_CHANNEL = 'kasir_jobs';

export interface EnqueueOptions {
  /** Not before this moment (default: now). */
  runAt?: Date;
  /** While a job with this key is pending or running in the same queue and tenant, a second one is dropped. */
  singletonKey?: string;
  /** Runs before the job is marked failed (default 5). */
  maxAttempts?: number;
}

/**
 * Enqueues in the caller's tenant transaction, so the job exists if and only if the business change commits;
 * the NOTIFY that wakes the workers is delivered at commit too. Returns the job id, or undefined when a
 * singleton with the same key is already pending.
 */
export function enqueue(tx: TxScope, queue: string, payload: unknown = {}, opts: EnqueueOptions = {}): Promise<string | undefined> {
  return insertJob(tx.db, tx.tenantId, queue, payload, opts);
}

/** Enqueues from a system transaction (the worker's or the relay's): a platform job, or `tenantId`'s job. */
export function enqueueSystem(db: Db, queue: string, payload: unknown = {}, opts: EnqueueOptions & { tenantId?: string | null } = {}): Promise<string | undefined> {
  return insertJob(db, opts.tenantId ?? null, queue, payload, opts);
}

async function insertJob(db: Db, tenantId: string | null, queue: string, payload: unknown, opts: EnqueueOptions): Promise<string | undefined> {
  const maxAttempts = opts.maxAttempts ?? 5;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error('maxAttempts must be a positive integer');
  const id = uuidv7();
  const inserted = await db.execute(sql`
    INSERT INTO jobs (id, tenant_id, queue, payload, singleton_key, max_attempts, run_at)
    VALUES (${id}, ${tenantId}, ${queue}, ${jsonPayload(payload)}::jsonb, ${opts.singletonKey ?? null}, ${maxAttempts},
            coalesce(${opts.runAt?.toISOString() ?? null}::timestamptz, now()))
    ON CONFLICT DO NOTHING`);
  if (affected(inserted) === 0) return undefined;
  notifyAfterCommit(db, JOBS_CHANNEL, queue);
  return id;
}

export interface ClaimedJob {
  id: string;
  tenant_id: string | null;
  queue: string;
  payload: unknown;
  /** 1 on the first run; also the fencing token: only the holder of this attempt may finish the job. */
  attempts: number;
  max_attempts: number;
}

const ms = (n: number) => `${Math.round(n)} milliseconds`;

/** Takes up to `limit` ready jobs of `queue` (pending, or running with an expired lease) for `leaseMs`. */
export async function claimJobs(db: Db, queue: string, limit: number, leaseMs: number): Promise<ClaimedJob[]> {
  return rowsOf<ClaimedJob>(
    await db.execute(sql`
      UPDATE jobs j SET state = 'running', attempts = j.attempts + 1, locked_until = now() + ${ms(leaseMs)}::interval
        FROM (SELECT id FROM jobs
               WHERE queue = ${queue} AND state IN ('pending', 'running') AND run_at <= now()
                 AND (state = 'pending' OR (locked_until < now() AND attempts < max_attempts))
               ORDER BY run_at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED) ready
       WHERE j.id = ready.id
      RETURNING j.id, j.tenant_id, j.queue, j.payload, j.attempts, j.max_attempts`),
  );
}

/** A job whose lease ran out on its last attempt will not be retried: mark it failed. Returns the queues hit. */
export async function failAbandoned(db: Db): Promise<string[]> {
  const rows = rowsOf<{ queue: string }>(
    await db.execute(sql`
      UPDATE jobs SET state = 'failed', finished_at = now(), locked_until = NULL,
             last_error = coalesce(last_error || '; ', '') || 'lease expired on the last attempt (worker stopped or crashed)'
       WHERE id IN (SELECT id FROM jobs WHERE state = 'running' AND locked_until < now() AND attempts >= max_attempts
                     FOR UPDATE SKIP LOCKED)
      RETURNING queue`),
  );
  return rows.map((r) => r.queue);
}

export type JobOutcome = 'done' | 'retried' | 'failed' | 'lost';

/** Records a run's result, fenced by its attempt number; 'lost' when the lease had passed to another worker. */
export async function finishJob(db: Db, job: ClaimedJob, error: string | undefined, retryInMs: number): Promise<JobOutcome> {
  const fence = sql`id = ${job.id} AND state = 'running' AND attempts = ${job.attempts}`;
  if (error === undefined) {
    const r = await db.execute(sql`UPDATE jobs SET state = 'done', finished_at = now(), locked_until = NULL WHERE ${fence}`);
    return affected(r) === 1 ? 'done' : 'lost';
  }
  const [row] = rowsOf<{ state: string }>(
    await db.execute(sql`
      UPDATE jobs SET last_error = ${error.slice(0, 4000)}, locked_until = NULL,
             state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'pending' END,
             finished_at = CASE WHEN attempts >= max_attempts THEN now() END,
             run_at = CASE WHEN attempts >= max_attempts THEN run_at ELSE now() + ${ms(retryInMs)}::interval END
       WHERE ${fence} RETURNING state`),
  );
  return !row ? 'lost' : row.state === 'failed' ? 'failed' : 'retried';
}

/** Upserts a recurring schedule; a new one is due at once, a changed interval never pushes a run later. */
export async function saveSchedule(db: Db, s: Schedule): Promise<void> {
  await db.execute(sql`
    INSERT INTO job_schedules (name, queue, payload, every_ms, next_run_at)
    VALUES (${s.name}, ${s.queue}, ${jsonPayload(s.payload)}::jsonb, ${s.everyMs}, now())
    ON CONFLICT (name) DO UPDATE SET queue = excluded.queue, payload = excluded.payload, every_ms = excluded.every_ms,
      next_run_at = least(job_schedules.next_run_at, now() + ${ms(s.everyMs)}::interval), updated_at = now()`);
}

/**
 * Enqueues a run of every due schedule and moves it to its next slot on the grid (no drift). The row lock
 * makes one worker the one that fires; the singleton key keeps runs from piling up behind a slow one.
 */
export async function fireDueSchedules(db: Db): Promise<void> {
  const due = rowsOf<{ name: string; queue: string; payload: unknown }>(
    await db.execute(sql`
      UPDATE job_schedules s SET updated_at = now(), next_run_at = s.next_run_at
             + ((floor(extract(epoch FROM now() - s.next_run_at) * 1000 / s.every_ms) + 1) * s.every_ms)::double precision * interval '1 millisecond'
        FROM (SELECT name FROM job_schedules WHERE next_run_at <= now() FOR UPDATE SKIP LOCKED) d
       WHERE s.name = d.name
      RETURNING s.name, s.queue, s.payload`),
  );
  for (const s of due) await insertJob(db, null, s.queue, s.payload, { singletonKey: `schedule:${s.name}` });
}

/** Deletes finished jobs past their retention (done: 7 days, failed: 30 days). Returns how many went. */
export async function purgeFinishedJobs(db: Db, keepDoneHours = 24 * 7, keepFailedHours = 24 * 30, batch = 5_000): Promise<number> {
  const purge = async (state: string, hours: number) =>
    affected(await db.execute(sql`
      DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state = ${state} AND finished_at < now() - ${`${hours} hours`}::interval LIMIT ${batch})`));
  return (await purge('done', keepDoneHours)) + (await purge('failed', keepFailedHours));
}

export interface Schedule {
  name: string;
  queue: string;
  everyMs: number;
  payload: unknown;
}

/** Extends a running job's lease; false when the run no longer holds it (finished, or taken over). */
export async function renewLease(db: Db, job: ClaimedJob, leaseMs: number): Promise<boolean> {
  const r = await db.execute(sql`
    UPDATE jobs SET locked_until = now() + ${ms(leaseMs)}::interval WHERE id = ${job.id} AND state = 'running' AND attempts = ${job.attempts}`);
  return affected(r) === 1;
}

/** Unfinished jobs by queue and state: pending (ready now), delayed (run_at later), running. */
export async function queueDepth(db: Db): Promise<{ queue: string; state: string; n: number }[]> {
  return rowsOf(
    await db.execute(sql`
      SELECT queue, CASE WHEN state = 'pending' AND run_at > now() THEN 'delayed' ELSE state END AS state, count(*)::int AS n
        FROM jobs WHERE state IN ('pending', 'running') GROUP BY 1, 2`),
  );
}

/**
 * JSON for a jsonb payload. Money is bigint: it becomes a JSON integer (exact up to 2^53), or a string beyond
 * that rather than losing precision, as in REST responses.
 */
export function jsonPayload(value: unknown): string {
  return JSON.stringify(value ?? {}, (_k, v: unknown) =>
    typeof v === 'bigint' ? (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString()) : v,
  );
}
