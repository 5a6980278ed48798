import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outlets } from '../../src/modules/tenancy/index.js';
import { openDatabase, type Database } from '../../src/platform/db.js';
import { testDatabase, usingPostgres } from '../support/database.js';
import { createTenant, startTestServer, type TestServer, type TestTenant } from '../support/server.js';

/**
 * The one-round-trip read path keeps the tenant in the connection's session. With a single pooled connection
 * every request reuses the same session, so a leak between tenants would show here at once.
 */
describe.skipIf(!usingPostgres())('the read path on one shared PostgreSQL connection (needs TEST_DATABASE_URL)', () => {
  let s: TestServer;
  let db: Database;
  let a: TestTenant;
  let b: TestTenant;

  beforeAll(async () => {
    s = await startTestServer();
    a = await createTenant(s.app);
    b = await createTenant(s.app);
    db = await openDatabase({ url: (await testDatabase()).url, dataDir: '', poolSize: 1, appRole: 'kasir_app' });
  });
  afterAll(async () => {
    await db?.close();
    await s?.stop();
  });

  it('alternating tenants each see only their own rows, also after a write transaction on the same connection', async () => {
    const codes = (tenantId: string) => db.read(tenantId, async (h) => (await h.select({ code: outlets.code }).from(outlets)).map((o) => o.code));
    for (let i = 0; i < 5; i++) {
      expect(await codes(a.tenantId)).toEqual(['MAIN']);
      expect(await codes(b.tenantId)).toEqual(['MAIN']);
      expect(((await db.read(a.tenantId, (h) => h.execute(sql`select current_setting('app.tenant_id') as t`))) as { rows: unknown[] }).rows[0]).toEqual({ t: a.tenantId });
      await db.transaction(b.tenantId, (h) => h.execute(sql`select 1`));
      // The transaction's local setting is gone: the session is back on A for the next read of A.
      expect(((await db.read(a.tenantId, (h) => h.execute(sql`select current_setting('app.tenant_id') as t`))) as { rows: unknown[] }).rows[0]).toEqual({ t: a.tenantId });
    }
  });

  it('refuses a write that strays into a read instead of committing it', async () => {
    const err = await db.read(a.tenantId, (h) => h.execute(sql`update outlets set name = 'strayed' where code = 'MAIN'`)).then(
      () => undefined,
      (e: Error & { cause?: Error }) => e,
    );
    expect(String(err?.cause?.message ?? err?.message)).toMatch(/read-only transaction/);
    const names = await db.transaction(a.tenantId, (h) => h.select({ name: outlets.name }).from(outlets));
    expect(names.map((n) => n.name)).not.toContain('strayed');
  });

  it('a read with no connection-level tenant for the other tenant never shows rows across tenants', async () => {
    const all = await db.read(b.tenantId, (h) => h.select({ tenantId: outlets.tenantId }).from(outlets));
    expect(new Set(all.map((r) => r.tenantId))).toEqual(new Set([b.tenantId]));
  });
});
