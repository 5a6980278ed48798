import { sql } from 'drizzle-orm';
import type { SalesOptions } from '../../../src/modules/sales/index.js';
import type { TxScope } from '../../../src/platform/context.js';
import { rowsOf } from '../../../src/platform/db.js';
import { call, createTenant, startTestServer, type TestServer, type TestTenant } from '../../support/server.js';

/** A real server as the composition root builds it, with the test's payment providers registered. */
export const startSalesServer = (env: Record<string, string> = {}, opts: SalesOptions = {}): Promise<TestServer> =>
  startTestServer(env, [
    (_r, app) => {
      for (const p of opts.providers ?? []) app.services.sales.registerPaymentProvider(p);
    },
  ]);

/** Calls as `t`'s owner (dev headers), or with `headers`. */
export function as(s: TestServer, t: TestTenant, headers: Record<string, string> = t.devHeaders) {
  const go = (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => call(s.baseUrl, method, path, { headers: { ...headers, ...extra }, ...(body === undefined ? {} : { body }) });
  return {
    get: (path: string) => go('GET', path),
    post: (path: string, body: unknown = {}, extra?: Record<string, string>) => go('POST', path, body, extra),
    put: (path: string, body: unknown) => go('PUT', path, body),
    patch: (path: string, body: unknown) => go('PATCH', path, body),
    delete: (path: string) => go('DELETE', path),
  };
}
export type Client = ReturnType<typeof as>;

/** Runs `work` in `t`'s tenant transaction, as a service would. */
export const inTenant = <T>(s: TestServer, t: TestTenant, work: (tx: TxScope) => Promise<T>): Promise<T> =>
  s.app.database.transaction(t.tenantId, (db) => work({ db, tenantId: t.tenantId }));

export const query = <R>(s: TestServer, t: TestTenant, text: ReturnType<typeof sql>): Promise<R[]> => inTenant(s, t, async (tx) => rowsOf<R>(await tx.db.execute(text)));

const SALES_TABLES = ['orders', 'order_items', 'payments', 'refunds', 'refund_lines', 'refund_tenders', 'receipt_counters', 'outbox_events'] as const;
/** Row counts of every sales table (and the outbox) of `t`: "nothing written" checks compare two of these. */
export async function salesRows(s: TestServer, t: TestTenant): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of SALES_TABLES) out[table] = Number((await query<{ n: string | number }>(s, t, sql`SELECT count(*) AS n FROM ${sql.identifier(table)}`))[0]!.n);
  return out;
}

let n = 0;
export const sku = (prefix = 'SKU'): string => `${prefix}-${Date.now().toString(36)}-${(n++).toString(36)}`.toUpperCase();

/** A product with one variant priced `amount` (REST, as the seed's steps 2–4 do). */
export async function pricedProduct(api: Client, amount: number | string = 2_500_000, extra: Record<string, unknown> = {}): Promise<{ productId: string; variantId: string }> {
  const p = await api.post('/api/v1/products', { name: `Product ${sku('')}`, ...extra });
  if (p.status !== 201) throw new Error(`product: ${p.status} ${JSON.stringify(p.body)}`);
  const variantId = p.body.variants[0].id as string;
  const price = await api.post('/api/v1/prices', { variant_id: variantId, amount: String(amount), currency: 'IDR' });
  if (price.status !== 200) throw new Error(`price: ${price.status} ${JSON.stringify(price.body)}`);
  return { productId: p.body.id, variantId };
}

/** Creates, adds the lines, finalizes: an OPEN order. */
export async function openOrder(api: Client, lines: { variant_id: string; quantity?: number }[], body: Record<string, unknown> = {}): Promise<{ id: string; total: number; version: number }> {
  const o = await api.post('/api/v1/orders', { ...body, items: lines });
  if (o.status !== 201) throw new Error(`order: ${o.status} ${JSON.stringify(o.body)}`);
  const f = await api.post(`/api/v1/orders/${o.body.id}/finalize`, {});
  if (f.status !== 200) throw new Error(`finalize: ${f.status} ${JSON.stringify(f.body)}`);
  return { id: f.body.id, total: f.body.total, version: f.body.version };
}

export { createTenant, type TestServer, type TestTenant };
