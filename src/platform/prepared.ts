import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect, type IndexColumn, type PgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { TxScope } from './context.js';
import { rowsOf } from './db.js';

const builtQueries = new WeakMap<object, Map<string, unknown>>();

/**
 * A query built once per database handle and reused: Drizzle prepared queries (placeholders for every value).
 * Building a query with Drizzle costs several times running it (measured on GET /api/v1/outlets: ~50 µs of
 * CPU to build against ~15 µs to run prepared). On PostgreSQL a handle is one pooled connection for its
 * lifetime, so each statement is built, and planned by the server, once per connection. On PGlite each
 * transaction has its own handle, so the query is built every time (the same cost as before).
 */
export function preparedQuery<T>(db: object, name: string, build: () => T): T {
  let byName = builtQueries.get(db);
  if (!byName) builtQueries.set(db, (byName = new Map()));
  let q = byName.get(name) as T | undefined;
  if (q === undefined) byName.set(name, (q = build()));
  return q;
}

/** The smallest UUID: `id > NIL_UUID` is every id, so a first page and later pages share one statement. */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

const dialect = new PgDialect();
const names = new Map<string, string>();

const isPgClient = (c: unknown): c is pg.ClientBase => c instanceof pg.Client;

/**
 * Runs `q` in the caller's transaction as a named prepared statement where the driver allows (node-postgres:
 * each connection plans it once; planning big statements costs several times running them), through
 * db.execute elsewhere (PGlite); returns its rows.
 */
export async function preparedRows<R>(tx: TxScope, label: string, q: SQL): Promise<R[]> {
  const client = (tx.db as unknown as { $client?: unknown }).$client;
  if (!isPgClient(client)) return rowsOf<R>(await tx.db.execute(q));
  const { sql: text, params } = dialect.sqlToQuery(q);
  let name = names.get(text);
  if (!name) {
    // One name per statement text; texts are constants of this module (variable data travels as parameters).
    name = `kasir_${label}_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
    if (names.size < 64) names.set(text, name);
  }
  return (await client.query({ name, text, values: params as unknown[] })).rows as R[];
}

/**
 * Inserts one row through a prepared insert named by the table and the set of columns given, returning the
 * row (undefined when `onConflictDoNothing` skipped it). Values go through each column's own encoder.
 */
export async function insertOne<T extends PgTable>(
  tx: TxScope,
  table: T,
  label: string,
  row: Partial<T['$inferInsert']>,
  onConflictDoNothing?: IndexColumn[],
): Promise<T['$inferSelect'] | undefined> {
  const values = { ...row, tenantId: tx.tenantId } as Record<string, unknown>;
  const keys = Object.keys(values).filter((k) => values[k] !== undefined).sort();
  const name = `kasir_ins_${label}_${createHash('sha256').update(keys.join(',')).digest('hex').slice(0, 12)}`;
  const q = preparedQuery(tx.db, name, () => {
    const base = tx.db.insert(table).values(Object.fromEntries(keys.map((k) => [k, sql.placeholder(k)])) as T['$inferInsert']);
    return (onConflictDoNothing ? base.onConflictDoNothing({ target: onConflictDoNothing }) : base).returning().prepare(name);
  });
  const rows = (await q.execute(Object.fromEntries(keys.map((k) => [k, values[k]])))) as T['$inferSelect'][];
  return rows[0];
}
