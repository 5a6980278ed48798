import type { Database } from '../../platform/db.js';
import type { Log } from '../../platform/context.js';
import type { JobWorker } from '../../platform/job-worker.js';
import { releaseExpiredReservations } from './sale-stock.repository.js';

export const INVENTORY_QUEUES = { releaseReservations: 'inventory.release_reservations' } as const;
const MINUTE_MS = 60_000;

/** Every minute, one worker releases the reservations whose orders were left open past their expiry. */
export function registerInventoryJobs(jobs: JobWorker, database: Database, log: Log): void {
  jobs.handle(INVENTORY_QUEUES.releaseReservations, async () => {
    let released = 0;
    for (;;) {
      const n = await database.systemTransaction((db) => releaseExpiredReservations(db));
      released += n;
      if (n === 0) break;
    }
    if (released > 0) log.info({ released }, 'released expired stock reservations');
  });
  jobs.schedule(INVENTORY_QUEUES.releaseReservations, INVENTORY_QUEUES.releaseReservations, MINUTE_MS);
}
