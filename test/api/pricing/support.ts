import { sql } from 'drizzle-orm';
import type { TxScope } from '../../../src/platform/context.js';
import { rowsOf } from '../../../src/platform/db.js';
import { call, createTenant, startTestServer, type TestServer, type TestTenant } from '../../support/server.js';

/** A real server with the catalog core's and the pricing routes composed in, as the composition root will do. */
export const startPricingServer = (env: Record<string, string> = {}): Promise<TestServer> =>
  startTestServer(env);

/** Calls as `t`'s owner (dev headers). */
export function as(s: TestServer, t: TestTenant) {
  const go = (method: string, path: string, body?: unknown) => call(s.baseUrl, method, path, { headers: t.devHeaders, ...(body === undefined ? {} : { body }) });
  return {
    get: (path: string) => go('GET', path),
    post: (path: string, body: unknown = {}) => go('POST', path, body),
    put: (path: string, body: unknown) => go('PUT', path, body),
    patch: (path: string, body: unknown) => go('PATCH', path, body),
    delete: (path: string) => go('DELETE', path),
  };
}
export type Client = ReturnType<typeof as>;

/** Runs `work` in `t`'s tenant transaction, as a service would. */
export const inTenant = <T>(s: TestServer, t: TestTenant, work: (tx: TxScope) => Promise<T>): Promise<T> =>
  s.app.database.transaction(t.tenantId, (db) => work({ db, tenantId: t.tenantId }));

/** Rows of `t` by raw SQL (row-level security scopes them to the tenant). */
export const query = <R>(s: TestServer, t: TestTenant, text: ReturnType<typeof sql>): Promise<R[]> => inTenant(s, t, async (tx) => rowsOf<R>(await tx.db.execute(text)));

/** Counts `t`'s rows in a catalog table: "nothing written" checks. */
export const countRows = async (s: TestServer, t: TestTenant, table: 'price_books' | 'prices' | 'modifier_groups' | 'modifiers' | 'product_modifier_groups' | 'tax_rules' | 'tax_categories' | 'tax_exemptions'): Promise<number> =>
  Number((await query<{ n: string | number }>(s, t, sql`SELECT count(*) AS n FROM ${sql.identifier(table)}`))[0]!.n);

export interface PriceChangedEvent {
  type: string;
  payload: { price_book_id: string; is_default: boolean; currency: string; changes: { variant_id: string; amount: number | null; previous_amount: number | null }[] };
}
/** The price.changed events `t` recorded, oldest first. */
export const priceEvents = (s: TestServer, t: TestTenant) => query<PriceChangedEvent>(s, t, sql`SELECT type, payload FROM outbox_events WHERE type = 'price.changed' ORDER BY id`);

/** A product with one variant per name, created through the products API (POST /api/v1/products). */
export async function productFixture(s: TestServer, t: TestTenant, variantNames: string[] = ['Regular']): Promise<{ productId: string; variantIds: string[] }> {
  const r = await as(s, t).post('/api/v1/products', { name: `Product ${Math.random().toString(36).slice(2, 8)}`, variants: variantNames.map((name) => ({ name })) });
  if (r.status !== 201) throw new Error(`product: ${r.status} ${JSON.stringify(r.body)}`);
  return { productId: r.body.id as string, variantIds: (r.body.variants as { id: string; name: string }[]).map((v) => v.id) };
}

/** An outlet of `t` in `time_zone` (REST). */
export async function outletIn(s: TestServer, t: TestTenant, timeZone: string): Promise<string> {
  const r = await as(s, t).post('/api/v1/outlets', { code: `O${Math.random().toString(36).slice(2, 8).toUpperCase()}`, name: `Outlet in ${timeZone}`, time_zone: timeZone });
  if (r.status !== 201) throw new Error(`outlet: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id as string;
}

/** The field names of a 400's details. */
export const fieldsOf = (body: { error?: { details?: { fields?: { field: string }[] } } }): string[] => (body.error?.details?.fields ?? []).map((f) => f.field);

export { createTenant, type TestServer, type TestTenant };
