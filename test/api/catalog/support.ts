import { sql } from 'drizzle-orm';
import type { TxScope } from '../../../src/platform/context.js';
import { rowsOf } from '../../../src/platform/db.js';
import { call, createTenant, startTestServer, type TestServer, type TestTenant } from '../../support/server.js';

/** A real server with the catalog core's routes composed in, as the composition root will do. */
export const startCatalogServer = (env: Record<string, string> = {}): Promise<TestServer> =>
  startTestServer(env);

/** Calls as `t`'s owner (dev headers). */
export function as(s: TestServer, t: TestTenant) {
  const go = (method: string, path: string, body?: unknown) => call(s.baseUrl, method, path, { headers: t.devHeaders, ...(body === undefined ? {} : { body }) });
  return {
    get: (path: string) => go('GET', path),
    post: (path: string, body: unknown = {}) => go('POST', path, body),
    patch: (path: string, body: unknown) => go('PATCH', path, body),
  };
}

export type Client = ReturnType<typeof as>;

let n = 0;
/** A SKU no other test uses. */
export const sku = (prefix = 'SKU'): string => `${prefix}-${Date.now().toString(36)}-${(n++).toString(36)}`.toUpperCase();

/** Runs `work` in `t`'s tenant transaction, as a service would. */
export const inTenant = <T>(s: TestServer, t: TestTenant, work: (tx: TxScope) => Promise<T>): Promise<T> =>
  s.app.database.transaction(t.tenantId, (db) => work({ db, tenantId: t.tenantId }));

/** Rows of `t` by raw SQL (row-level security scopes them to the tenant). */
export const query = <R>(s: TestServer, t: TestTenant, text: ReturnType<typeof sql>): Promise<R[]> => inTenant(s, t, async (tx) => rowsOf<R>(await tx.db.execute(text)));

/** The outbox events `t` recorded for one aggregate, oldest first. */
export const eventsFor = (s: TestServer, t: TestTenant, aggregateId: string) =>
  query<{ type: string; payload: { product: { id: string; name: string; variants: { id: string }[] }; changed?: string[] } }>(
    s,
    t,
    sql`SELECT type, payload FROM outbox_events WHERE aggregate_id = ${aggregateId} ORDER BY id`,
  );

export { createTenant, type TestServer, type TestTenant };
