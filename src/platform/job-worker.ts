import type { Log, TxScope } from './context.js';
import type { Database } from './db.js';
import {
  claimJobs,
  failAbandoned,
  finishJob,
  fireDueSchedules,
  JOBS_CHANNEL,
  queueDepth,
  renewLease,
  saveSchedule,
  type ClaimedJob,
  type Schedule,
} from './jobs.js';
import type { Metrics } from './metrics.js';
import { WakeLoop } from './wake-loop.js';

export interface Job<P = unknown> {
  readonly id: string;
  readonly queue: string;
  /** The tenant the job belongs to; null for platform jobs. */
  readonly tenantId: string | null;
  /** As enqueued (JSON); the handler validates it. */
  readonly payload: P;
  /** 1 on the first run. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** Aborted when this run lost its lease (another worker may now run the job): stop early if you can. */
  readonly signal: AbortSignal;
  /** Runs `work` in a transaction of the job's tenant, behind row-level security. Refused for platform jobs. */
  inTenant<T>(work: (tx: TxScope) => Promise<T>): Promise<T>;
}

export interface HandleOptions {
  /** Jobs of this queue run at once by this worker (default 1). */
  concurrency?: number;
  /** How long a run owns its job before another worker may take it over; renewed while it runs (default 60 s). */
  leaseMs?: number;
  /** First retry delay; doubles per attempt, capped at an hour (default 2 s). */
  backoffMs?: number;
}

interface Handler {
  fn: (job: Job<never>) => Promise<void>;
  concurrency: number;
  leaseMs: number;
  backoffMs: number;
  running: number;
}

/**
 * Runs registered handlers on claimed jobs. Wakes on NOTIFY kasir_jobs, and polls every `pollMs` for delayed
 * jobs, retries, expired leases and due schedules. Any number of workers may run against one database.
 */
export class JobWorker {
  private readonly handlers = new Map<string, Handler>();
  private readonly schedules: Schedule[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private readonly loop: WakeLoop;
  private started = false;

  constructor(
    private readonly database: Database,
    private readonly opts: { log: Log; metrics?: Metrics; pollMs?: number },
  ) {
    this.loop = new WakeLoop(database, JOBS_CHANNEL, opts.pollMs ?? 1_500, () => this.tick(), opts.log);
    opts.metrics?.onScrape(() => this.reportQueueDepth());
  }

  /** Registers the handler of `queue`. Payloads are not checked here: `P` is what the enqueuer promised. */
  handle<P = unknown>(queue: string, fn: (job: Job<P>) => Promise<void>, opts: HandleOptions = {}): void {
    if (this.handlers.has(queue)) throw new Error(`a handler for job queue ${queue} is already registered`);
    const concurrency = opts.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('concurrency must be a positive integer');
    this.handlers.set(queue, { fn: fn as Handler['fn'], concurrency, leaseMs: opts.leaseMs ?? 60_000, backoffMs: opts.backoffMs ?? 2_000, running: 0 });
    this.loop.wake();
  }

  /** Runs a platform job on `queue` every `everyMs`, once across all workers (saved when the worker starts). */
  schedule(name: string, queue: string, everyMs: number, payload: unknown = {}): void {
    if (!Number.isInteger(everyMs) || everyMs < 1) throw new Error('everyMs must be a positive integer');
    const s = { name, queue, everyMs, payload };
    this.schedules.push(s);
    if (this.started) {
      void this.database.systemTransaction((db) => saveSchedule(db, s)).then(
        () => this.loop.wake(),
        (e: Error) => this.opts.log.warn({ err: e.message, schedule: name }, 'cannot save job schedule'),
      );
    }
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.database.systemTransaction(async (db) => {
      for (const s of this.schedules) await saveSchedule(db, s);
    });
    this.started = true;
    await this.loop.start();
  }

  /** Claims and starts whatever is ready now; resolves when the claim is done (not when the jobs are). */
  poll(): Promise<void> {
    return this.loop.runNow();
  }

  /** Stops claiming and waits for running handlers (at most `timeoutMs`; leftovers are re-run elsewhere). */
  async stop(timeoutMs = Number.POSITIVE_INFINITY): Promise<void> {
    this.started = false;
    await this.loop.stop();
    let timeout: NodeJS.Timeout | undefined;
    const waited = Promise.allSettled([...this.inflight]).then(() => undefined);
    if (Number.isFinite(timeoutMs)) await Promise.race([waited, new Promise<void>((r) => (timeout = setTimeout(r, timeoutMs)))]);
    else await waited;
    clearTimeout(timeout);
  }

  /** Sets kasir_job_queue_depth by queue and state (pending = ready now, delayed = later, running). */
  async reportQueueDepth(): Promise<void> {
    const gauge = this.opts.metrics?.jobQueueDepth;
    if (!gauge) return;
    const rows = await this.database.systemTransaction(queueDepth);
    gauge.reset();
    for (const queue of this.handlers.keys()) for (const state of ['pending', 'delayed', 'running']) gauge.set({ queue, state }, 0);
    for (const r of rows) gauge.set({ queue: r.queue, state: r.state }, Number(r.n));
  }

  private async tick(): Promise<void> {
    const { abandoned, claimed } = await this.database.systemTransaction(async (db) => {
      if (this.schedules.length) await fireDueSchedules(db);
      const out = { abandoned: await failAbandoned(db), claimed: [] as [Handler, ClaimedJob][] };
      for (const [queue, h] of this.handlers) {
        const free = h.concurrency - h.running;
        if (free > 0) for (const job of await claimJobs(db, queue, free, h.leaseMs)) out.claimed.push([h, job]);
      }
      return out;
    });
    for (const queue of abandoned) this.opts.metrics?.jobsProcessed.inc({ queue, outcome: 'failed' });
    if (abandoned.length) this.opts.log.error({ queues: abandoned }, 'jobs failed: their lease expired on the last attempt');
    for (const [h, job] of claimed) this.run(h, job);
  }

  private run(h: Handler, row: ClaimedJob): void {
    h.running++;
    const lost = new AbortController();
    const log = this.opts.log;
    const renew = async () => {
      if (!(await this.database.systemTransaction((db) => renewLease(db, row, h.leaseMs)))) lost.abort(new Error('lease lost'));
    };
    const beat = setInterval(() => void renew().catch(() => undefined), Math.max(h.leaseMs / 3, 10));
    beat.unref();
    const job: Job<never> = {
      id: row.id,
      queue: row.queue,
      tenantId: row.tenant_id,
      payload: row.payload as never,
      attempt: row.attempts,
      maxAttempts: row.max_attempts,
      signal: lost.signal,
      inTenant: (work) => {
        const tenantId = row.tenant_id;
        if (!tenantId) return Promise.reject(new Error(`job ${row.id} on ${row.queue} belongs to no tenant`));
        return this.database.transaction(tenantId, (db) => work({ db, tenantId }));
      },
    };
    const p = (async () => {
      let error: string | undefined;
      try {
        await h.fn(job);
      } catch (e) {
        error = e instanceof Error ? e.message || e.name : String(e);
      } finally {
        clearInterval(beat);
      }
      const retryIn = Math.min(h.backoffMs * 2 ** (row.attempts - 1), 3_600_000);
      const outcome = await this.database.systemTransaction((db) => finishJob(db, row, error, retryIn)).catch((e: Error) => {
        log.warn({ err: e.message, job_id: row.id }, 'cannot record job outcome; it runs again when its lease expires');
        return undefined;
      });
      if (outcome) this.opts.metrics?.jobsProcessed.inc({ queue: row.queue, outcome });
      const fields = { job_id: row.id, queue: row.queue, tenant_id: row.tenant_id, attempt: row.attempts, outcome };
      if (error) log[outcome === 'failed' ? 'error' : 'warn']({ ...fields, err: error }, 'job failed');
      else log.debug(fields, 'job done');
    })().finally(() => {
      h.running--;
      this.inflight.delete(p);
      this.loop.wake();
    });
    this.inflight.add(p);
  }
}
