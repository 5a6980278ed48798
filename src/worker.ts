import type { App } from './app.js';
import { purgeExpiredIdempotencyKeys } from './platform/idempotency.js';

export interface Worker {
  stop(): Promise<void>;
}

/** Background work of one process: for now the hourly purge of expired idempotency keys. */
export async function startWorker(app: App): Promise<Worker> {
  const purge = async () => {
    const n = await app.database.systemTransaction((db) => purgeExpiredIdempotencyKeys(db)).catch((e: Error) => {
      app.log.warn({ err: e.message }, 'idempotency purge failed; will retry');
      return 0;
    });
    if (n > 0) app.log.info({ purged: n }, 'purged expired idempotency keys');
  };
  const timer = setInterval(purge, 3_600_000);
  timer.unref();
  void purge();
  return {
    async stop() {
      clearInterval(timer);
    },
  };
}
