import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/platform/db.js';
import { migrate } from '../../src/platform/migrate.js';

/**
 * One migrated database per test worker, shared by every test file the worker runs (vitest runs with
 * isolate: false): PGlite in a temp directory by default, or a fresh PostgreSQL database derived from
 * TEST_DATABASE_URL (`<name>_w<worker>`, dropped and re-created at start). Tests never truncate: each makes
 * its own tenant, and tenancy keeps them apart.
 */
let shared: Promise<{ database: Database; url: string | undefined; dataDir: string | undefined }> | undefined;

export const usingPostgres = (): boolean => Boolean(process.env.TEST_DATABASE_URL);

export function testDatabase(): Promise<{ database: Database; url: string | undefined; dataDir: string | undefined }> {
  shared ??= open();
  return shared;
}

async function open() {
  const base = process.env.TEST_DATABASE_URL;
  if (base) {
    const url = await freshPostgresDatabase(base, `w${process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? '0'}`);
    const database = await openDatabase({ url, dataDir: '', poolSize: 10, appRole: 'kasir_app', beforeRoleSwitch: (q) => migrate(q).then(() => undefined) });
    return { database, url, dataDir: undefined };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'kasir-test-'));
  const database = await openDatabase({ dataDir, poolSize: 1, appRole: 'kasir_app', beforeRoleSwitch: (q) => migrate(q).then(() => undefined) });
  process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  return { database, url: undefined, dataDir };
}

/** Drops and re-creates `<base db>_<suffix>` next to the database TEST_DATABASE_URL names; returns its URL. */
export async function freshPostgresDatabase(baseUrl: string, suffix: string): Promise<string> {
  const u = new URL(baseUrl);
  const name = `${u.pathname.slice(1) || 'kasir_test'}_${suffix}`.replace(/[^a-z0-9_]/gi, '_').toLowerCase();
  const admin = new pg.Client({ connectionString: baseUrl.replace(/\/[^/?]*(\?|$)/, '/postgres$1') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  u.pathname = `/${name}`;
  return u.toString();
}
