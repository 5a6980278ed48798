import { startPrivatePostgres, type PrivatePostgres } from './private-postgres.js';

let instance: PrivatePostgres | undefined;

/** Gives the reliability suite a PostgreSQL: TEST_DATABASE_URL if set, else a private instance for this run. */
export async function setup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  instance = await startPrivatePostgres();
  process.env.TEST_DATABASE_URL = instance.urlFor('kasir_reliability');
}

export async function teardown(): Promise<void> {
  instance?.destroy();
}
