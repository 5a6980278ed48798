import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { causeChain } from './db-errors.js';
import { AppError, CommonErrors } from './errors.js';
import { isUuid } from './ids.js';
import { lockDataDir } from './lockfile.js';

/** A Drizzle handle; inside `Database.transaction` it is the transaction's own handle. */
export type Db = PgDatabase<PgQueryResultHKT>;

export interface SqlResult<R> {
  rows: R[];
}

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  /**
   * Runs `work` in one transaction with `app.tenant_id` set (transaction-local) for row-level security.
   * `tenantId` null runs with no tenant: tenant tables then show no rows at all.
   */
  transaction<T>(tenantId: string | null, work: (db: Db) => Promise<T>): Promise<T>;
  /**
   * Runs read-only `work` for a tenant. On PostgreSQL its statements run outside an explicit transaction on a
   * connection whose session already carries the tenant (set only when the connection last served another
   * tenant), so a one-statement read costs one round trip instead of three (BEGIN, query, COMMIT). Pool
   * connections default to read-only transactions, so a write that strays in here fails loudly instead of
   * committing piecemeal; write transactions say BEGIN READ WRITE. Statements do not share a snapshot: use
   * `transaction` where several reads must agree.
   */
  read<T>(tenantId: string, work: (db: Db) => Promise<T>): Promise<T>;
  /**
   * Runs `work` as kasir_system, which sees every tenant's rows: only for the relay and job worker
   * (purges, cross-tenant scans). Request handling never calls this.
   */
  systemTransaction<T>(work: (db: Db) => Promise<T>): Promise<T>;
  /** Plain query outside any tenant, for platform tables (tenants, migrations) and health checks. */
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<SqlResult<R>>;
  /** Wakes `onNotify` on NOTIFY to `channel`; returns an unsubscribe function. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  poolStats(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

/**
 * NOTIFYs sent after the transaction of `db` commits (and dropped if it rolls back). A NOTIFY issued inside a
 * transaction takes a cluster-wide lock at commit and holds it through the WAL flush, so every notifying
 * transaction would commit one after another (measured by the sales bench: checkouts capped near one per
 * fsync). Sent after commit, identical notifications of one process are coalesced for a few milliseconds.
 */
const pendingNotifies = new WeakMap<object, Set<string>>();

export function notifyAfterCommit(db: Db, channel: string, payload = ''): void {
  let set = pendingNotifies.get(db);
  if (!set) pendingNotifies.set(db, (set = new Set()));
  set.add(`${channel}\u0000${payload}`);
}

function takeNotifies(db: object): string[] {
  const set = pendingNotifies.get(db);
  if (!set) return [];
  pendingNotifies.delete(db);
  return [...set];
}

/** Sends the notifications of committed transactions, coalescing repeats within `delayMs`. */
function notifier(send: (channel: string, payload: string) => Promise<unknown>, delayMs = 2) {
  const queued = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (keys: string[]) => {
    if (keys.length === 0) return;
    for (const k of keys) queued.add(k);
    timer ??= setTimeout(() => {
      timer = undefined;
      const batch = [...queued];
      queued.clear();
      for (const k of batch) {
        const [channel, payload] = k.split('\u0000') as [string, string];
        void send(channel, payload).catch(() => undefined); // the listeners' poll is the backstop
      }
    }, delayMs);
    timer.unref?.();
  };
}

export interface OpenOptions {
  url?: string | undefined;
  dataDir: string;
  poolSize: number;
  /** Role every connection switches to, so row-level security applies. */
  appRole: string;
  /** Statement applied before the role switch (migrations), with owner rights. */
  beforeRoleSwitch?: (q: OwnerQuery) => Promise<void>;
}

export type OwnerQuery = <R = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<SqlResult<R>>;

type Scope = { tenantId: string | null } | 'system';

const beginSql = (scope: Scope): string => {
  if (scope === 'system') return `BEGIN READ WRITE; SET LOCAL ROLE kasir_system`;
  const { tenantId } = scope;
  if (tenantId !== null && !isUuid(tenantId)) throw new Error('tenant id must be a UUID');
  // tenantId is a validated UUID, so inlining it is safe; it lets BEGIN and the setting travel in one round trip.
  return `BEGIN READ WRITE; SELECT set_config('app.tenant_id', '${tenantId ?? ''}', true)`;
};

/** Errors that mean "the database is not there right now", mapped to 503 / UNAVAILABLE. */
const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004']);

export function isConnectionError(e: unknown): boolean {
  // Drizzle wraps a driver error in DrizzleQueryError ("Failed query: …") with the driver's error as its
  // cause, so look down the cause chain: a statement cut off by a database restart is 503, not 500.
  for (const err of causeChain(e)) {
    if (err.code && CONNECTION_ERRORS.has(err.code)) return true;
    const m = err.message ?? '';
    if (/Connection terminated|connection timeout|Client has encountered a connection error|terminating connection|the database system is (starting up|shutting down)|timeout exceeded when trying to connect/i.test(m)) return true;
  }
  return false;
}

export function toUnavailable(e: unknown): never {
  if (isConnectionError(e)) throw new AppError(CommonErrors.DATABASE_UNAVAILABLE);
  throw e;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  return opts.url ? openPostgres(opts.url, opts) : openPglite(opts);
}

async function openPostgres(url: string, opts: OpenOptions): Promise<Database> {
  // int8 (bigint) comes back as a string by default; money columns are bigint, so parse to BigInt.
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === 20 ? (v: string) => BigInt(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
  };
  if (opts.beforeRoleSwitch) {
    const owner = new pg.Client({ connectionString: url, types });
    await owner.connect();
    try {
      await opts.beforeRoleSwitch((text, params) => owner.query(text, params as unknown[]) as never);
    } finally {
      await owner.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    types,
    // Statements outside BEGIN READ WRITE are read-only (see Database.read).
    options: `-c role=${opts.appRole} -c default_transaction_read_only=on`,
  });
  pool.on('error', () => {
    /* an idle client lost its connection; the pool drops it and the next checkout reconnects */
  });
  // pg-pool listens for errors only on idle clients: a checked-out client whose connection dies between two
  // statements (a database restart mid-transaction) emitted 'error' with no listener, which killed the
  // process. Its pending or next query fails with a connection error instead, mapped to 503 below.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const drizzleFor = new WeakMap<pg.PoolClient, Db>();
  const handleFor = (client: pg.PoolClient): Db => {
    let db = drizzleFor.get(client);
    if (!db) {
      db = drizzlePg({ client, casing: 'snake_case' }) as unknown as Db;
      drizzleFor.set(client, db);
    }
    return db;
  };

  const notify = notifier((channel, payload) => pool.query('SELECT pg_notify($1, $2)', [channel, payload]));
  const run = async <T>(scope: Scope, work: (db: Db) => Promise<T>): Promise<T> => {
      const client = await pool.connect().catch(toUnavailable);
      const handle = handleFor(client);
      takeNotifies(handle);
      let broken: unknown;
      try {
        await client.query(beginSql(scope));
        const result = await work(handle);
        await client.query('COMMIT');
        notify(takeNotifies(handle));
        return result;
      } catch (e) {
        takeNotifies(handle);
        if (isConnectionError(e)) broken = e;
        else await client.query('ROLLBACK').catch((rb) => (broken = rb));
        if (isConnectionError(e)) throw new AppError(CommonErrors.DATABASE_UNAVAILABLE);
        throw e;
      } finally {
        client.release(broken instanceof Error ? broken : undefined);
      }
  };
  /** The tenant each pooled connection's session is set to (transaction-local settings revert to it). */
  const sessionTenant = new WeakMap<pg.PoolClient, string>();
  const read = async <T>(tenantId: string, work: (db: Db) => Promise<T>): Promise<T> => {
    if (!isUuid(tenantId)) throw new Error('tenant id must be a UUID');
    const client = await pool.connect().catch(toUnavailable);
    let broken: unknown;
    try {
      if (sessionTenant.get(client) !== tenantId) {
        sessionTenant.delete(client);
        await client.query(`SELECT set_config('app.tenant_id', '${tenantId}', false)`);
        sessionTenant.set(client, tenantId);
      }
      return await work(handleFor(client));
    } catch (e) {
      if (isConnectionError(e)) {
        broken = e;
        throw new AppError(CommonErrors.DATABASE_UNAVAILABLE);
      }
      throw e;
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  };
  const db: Database = {
    kind: 'postgres',
    transaction: (tenantId, work) => run({ tenantId }, work),
    read,
    systemTransaction: (work) => run('system', work),
    async query(text, params) {
      return (await pool.query(text, params).catch(toUnavailable)) as never;
    },
    listen: (channel, onNotify) => listenWithReconnect(url, channel, onNotify),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      await pool.end();
    },
  };
  // Fail fast with a clear message if the role switch is impossible.
  await db.query('select 1').catch((e: Error) => {
    throw new Error(
      `Cannot use PostgreSQL at ${redact(url)} as role ${opts.appRole}: ${e.message}. ` +
        `Run \`kasir migrate\` with an owner account first (it creates the role), and make sure the connecting user may SET ROLE ${opts.appRole}.`,
    );
  });
  return db;
}

/**
 * LISTEN on a dedicated connection that comes back by itself: after a database restart it reconnects with
 * backoff (up to 5 s) and calls `onNotify('')` once reconnected, since notifications sent while it was away
 * are lost (listeners treat a wake-up as "look again", so a spurious one is harmless).
 */
async function listenWithReconnect(url: string, channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (m) => m.channel === channel && onNotify(m.payload ?? ''));
    let dropped = false;
    const lost = () => {
      if (dropped) return;
      dropped = true;
      void c.end().catch(() => undefined);
      if (!stopped) schedule(1_000);
    };
    c.on('error', lost);
    c.on('end', lost);
    await c.connect();
    await c.query(`LISTEN "${channel.replace(/"/g, '')}"`);
    client = c;
  };
  const schedule = (delayMs: number) => {
    retry = setTimeout(() => {
      connect().then(
        () => onNotify(''),
        () => !stopped && schedule(Math.min(delayMs * 2, 5_000)),
      );
    }, delayMs);
    retry.unref?.();
  };
  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}

async function openPglite(opts: OpenOptions): Promise<Database> {
  const release = lockDataDir(opts.dataDir);
  let client: PGlite;
  try {
    client = await PGlite.create({ dataDir: `${opts.dataDir}/pglite`, extensions: { pg_trgm, btree_gin } });
  } catch (e) {
    release();
    throw e;
  }
  // PGlite returns int8 as bigint already, so money columns need no parser here.
  // Without parameters, exec() runs multi-statement SQL (migration files) like pg's simple query protocol.
  const q: OwnerQuery = async (text, params) =>
    (params ? await client.query(text, params) : ((await client.exec(text)).at(-1) ?? { rows: [] })) as never;
  if (opts.beforeRoleSwitch) await opts.beforeRoleSwitch(q);
  await client.exec(`SET ROLE ${opts.appRole}`);
  const outer = drizzlePglite({ client, casing: 'snake_case' }) as unknown as Db;
  const notify = notifier((channel, payload) => client.query('SELECT pg_notify($1, $2)', [channel, payload]));
  /** Runs a PGlite transaction and sends its NOTIFYs once it has committed. */
  const committed = async <T>(work: (tx: Db) => Promise<T>, config?: { accessMode: 'read only' }): Promise<T> => {
    let handle: Db | undefined;
    try {
      const result = await outer.transaction(async (tx) => {
        handle = tx as unknown as Db;
        return work(handle);
      }, config);
      if (handle) notify(takeNotifies(handle));
      return result;
    } catch (e) {
      if (handle) takeNotifies(handle);
      throw e;
    }
  };
  const listeners = new Set<() => Promise<void>>();

  return {
    kind: 'pglite',
    transaction(tenantId, work) {
      if (tenantId !== null && !isUuid(tenantId)) throw new Error('tenant id must be a UUID');
      // One connection: PGlite serializes transactions; everything inside must use the `tx` handle.
      return committed(async (tx) => {
        await tx.execute(sql`select set_config('app.tenant_id', ${tenantId ?? ''}, true)`);
        return work(tx);
      });
    },
    read(tenantId, work) {
      if (!isUuid(tenantId)) throw new Error('tenant id must be a UUID');
      // One connection: a read runs in its own (read-only) transaction so no other request's tenant can interleave.
      return committed(
        async (tx) => {
          await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true)`);
          return work(tx);
        },
        { accessMode: 'read only' },
      );
    },
    systemTransaction(work) {
      return committed(async (tx) => {
        await tx.execute(sql`set local role kasir_system`);
        return work(tx);
      });
    },
    async query(text, params) {
      return (await client.query(text, params)) as never;
    },
    async listen(channel, onNotify) {
      const unsub = await client.listen(channel, onNotify);
      listeners.add(unsub);
      return async () => {
        listeners.delete(unsub);
        await unsub();
      };
    },
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    async close() {
      for (const u of listeners) await u().catch(() => undefined);
      try {
        await client.close();
      } finally {
        release();
      }
    },
  };
}

export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** Rows changed by a statement, from node-postgres (rowCount) or PGlite (affectedRows). */
export function affected(r: unknown): number {
  const x = r as { rowCount?: number | null; affectedRows?: number };
  return x.rowCount ?? x.affectedRows ?? 0;
}

export function rowsOf<T>(r: unknown): T[] {
  return ((r as { rows?: T[] }).rows ?? []) as T[];
}
