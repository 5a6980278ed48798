import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testDatabase, usingPostgres } from '../support/database.js';

/** Polls `check` until it holds (bounded): outcomes, not timings. */
async function eventually(check: () => boolean, what: string, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never happened: ${what}`);
}

describe.skipIf(!usingPostgres())('LISTEN across a lost connection (needs TEST_DATABASE_URL)', () => {
  it('reconnects by itself, wakes the listener once, and keeps receiving notifications', async () => {
    const { database, url } = await testDatabase();
    const channel = `kasir_test_${Math.random().toString(36).slice(2, 10)}`;
    const got: string[] = [];
    const stop = await database.listen(channel, (p) => got.push(p));
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query('SELECT pg_notify($1, $2)', [channel, 'before']);
      await eventually(() => got.includes('before'), 'the first notification');

      // What a database restart does to the listening connection.
      const killed = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1`, [`LISTEN "${channel}"`]);
      expect(killed.rowCount).toBe(1);
      await eventually(() => got.includes(''), 'the wake-up after reconnecting');

      await admin.query('SELECT pg_notify($1, $2)', [channel, 'after']);
      await eventually(() => got.includes('after'), 'a notification after the reconnect');
    } finally {
      await admin.end();
      await stop();
    }
  });
});
