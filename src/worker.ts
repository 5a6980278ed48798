import type { App } from './app.js';
import type { Db } from './platform/db.js';
import { purgeExpiredIdempotencyKeys } from './platform/idempotency.js';
import { purgeFinishedJobs } from './platform/jobs.js';
import { registerInventoryJobs } from './modules/inventory/index.js';

export interface Worker {
  stop(): Promise<void>;
}

const HOUR_MS = 3_600_000;

/** Platform maintenance queues, run hourly by whichever worker gets there first. */
export const MAINTENANCE_QUEUES = {
  purgeIdempotencyKeys: 'platform.purge_idempotency_keys',
  purgeFinishedJobs: 'platform.purge_finished_jobs',
} as const;

/**
 * Background work of one process: the job worker (handlers registered on `app.jobs` by the modules, plus the
 * platform's hourly purges) and the outbox relay (subscribers registered on `app.outbox`). Any number of
 * worker processes may run against one PostgreSQL database; on PGlite there is one process.
 */
export async function startWorker(app: App): Promise<Worker> {
  const { jobs, outbox, log } = app;
  // Idempotency keys expire POS_IDEMPOTENCY_TTL_HOURS after their first use (expires_at is set then).
  // A purge deletes in batches, one short transaction each, until a batch finds nothing.
  const drain = async (purge: (db: Db) => Promise<number>): Promise<number> => {
    let total = 0;
    for (;;) {
      const n = await app.database.systemTransaction(purge);
      if (n === 0) return total;
      total += n;
    }
  };
  jobs.handle(MAINTENANCE_QUEUES.purgeIdempotencyKeys, async () => {
    const purged = await drain((db) => purgeExpiredIdempotencyKeys(db));
    if (purged > 0) log.info({ purged }, 'purged expired idempotency keys');
  });
  jobs.handle(MAINTENANCE_QUEUES.purgeFinishedJobs, async () => {
    const purged = await drain((db) => purgeFinishedJobs(db));
    if (purged > 0) log.info({ purged }, 'purged finished jobs');
  });
  jobs.schedule(MAINTENANCE_QUEUES.purgeIdempotencyKeys, MAINTENANCE_QUEUES.purgeIdempotencyKeys, HOUR_MS);
  jobs.schedule(MAINTENANCE_QUEUES.purgeFinishedJobs, MAINTENANCE_QUEUES.purgeFinishedJobs, HOUR_MS);
  registerInventoryJobs(jobs, app.database, log);

  await jobs.start();
  await outbox.start();
  log.info('job worker and outbox relay started');
  return {
    async stop() {
      // The relay first: what it enqueues while stopping is still committed and picked up by the next worker.
      await outbox.stop();
      await jobs.stop(app.config.POS_SHUTDOWN_TIMEOUT_MS);
      log.info('job worker and outbox relay stopped');
    },
  };
}
