import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OwnerQuery } from './db.js';

/** db/migrations, from src/platform or dist/platform alike. */
export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'db', 'migrations');

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

export class MigrationError extends Error {}

const LOCK_ID = 7_104_050_053; // any constant: serializes concurrent `kasir migrate` runs

/**
 * Applies pending migrations in name order, each in its own transaction, under an advisory lock so two
 * processes starting at once cannot both apply one. An applied migration whose file changed is refused:
 * migrations are append-only. Afterwards the application roles get their grants and every tenant table is
 * checked to be behind row-level security.
 */
export async function migrate(q: OwnerQuery, log: (msg: string) => void = () => undefined, appRole = 'kasir_app'): Promise<string[]> {
  const files = readMigrations();
  await q(`CREATE TABLE IF NOT EXISTS kasir_migrations (name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  await q('SELECT pg_advisory_lock($1)', [LOCK_ID]);
  const applied: string[] = [];
  try {
    const done = new Map(
      (await q<{ name: string; checksum: string }>('SELECT name, checksum FROM kasir_migrations')).rows.map((r) => [r.name, r.checksum]),
    );
    for (const [name, checksum] of done) {
      const file = files.find((f) => f.name === name);
      if (file && file.checksum !== checksum) {
        throw new MigrationError(`Migration ${name} was changed after it was applied. Migrations are append-only: add a new file instead.`);
      }
    }
    for (const file of files) {
      if (done.has(file.name)) continue;
      log(`applying migration ${file.name}`);
      await q('BEGIN');
      try {
        await q(file.sql);
        await q('INSERT INTO kasir_migrations (name, checksum) VALUES ($1, $2)', [file.name, file.checksum]);
        await q('COMMIT');
      } catch (e) {
        await q('ROLLBACK').catch(() => undefined);
        throw new MigrationError(`Migration ${file.name} failed: ${(e as Error).message}`);
      }
      applied.push(file.name);
    }
    await grantAndVerify(q, appRole);
  } finally {
    await q('SELECT pg_advisory_unlock($1)', [LOCK_ID]).catch(() => undefined);
  }
  return applied;
}

async function grantAndVerify(q: OwnerQuery, appRole: string): Promise<void> {
  await q(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO kasir_app, kasir_system`);
  await q(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO kasir_app, kasir_system`);
  await q(`REVOKE ALL ON kasir_migrations FROM kasir_app, kasir_system`);
  await q(`GRANT SELECT ON kasir_migrations TO kasir_app, kasir_system`);
  if (appRole !== 'kasir_app') await q(`GRANT kasir_app TO ${appRole}`).catch(() => undefined);
  // Let the connecting user switch to the application roles (a superuser already may).
  await q(`DO $$ BEGIN
      IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        EXECUTE format('GRANT kasir_app, kasir_system TO %I', current_user);
      END IF;
    EXCEPTION WHEN others THEN NULL; END $$`);
  const unprotected = await q<{ table_name: string }>(`
    SELECT c.relname AS table_name
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
       AND (NOT c.relrowsecurity OR NOT c.relforcerowsecurity
            OR NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))`);
  if (unprotected.rows.length > 0) {
    throw new MigrationError(
      `Tenant tables without row-level security: ${unprotected.rows.map((r) => r.table_name).join(', ')}. ` +
        "Add SELECT kasir_protect('<table>') to the migration that creates them.",
    );
  }
}

/** Names of migration files not yet applied (for /readyz). */
export async function pendingMigrations(q: OwnerQuery): Promise<string[]> {
  const files = readMigrations();
  const done = await q<{ name: string }>('SELECT name FROM kasir_migrations').catch(() => ({ rows: [] as { name: string }[] }));
  const names = new Set(done.rows.map((r) => r.name));
  return files.filter((f) => !names.has(f.name)).map((f) => f.name);
}
