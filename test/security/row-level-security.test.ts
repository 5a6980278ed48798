import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionTenant } from '../../src/flows/provision-tenant.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { rowsOf } from '../../src/platform/db.js';
import { createTenant, startTestServer, type TestServer, type TestTenant } from '../support/server.js';
import { testDatabase, usingPostgres } from '../support/database.js';

/**
 * The second wall: even a query that forgets its tenant filter sees only the tenant in `app.tenant_id`.
 * The PostgreSQL part connects with pg as the application role, exactly as the pool does.
 */
let s: TestServer;
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  s = await startTestServer();
  a = await createTenant(s.app);
  b = await createTenant(s.app);
});
afterAll(() => s.stop());

describe(`row-level security through Database.transaction (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  const count = async (tenantId: string | null, table: string) =>
    Number(rowsOf<{ n: string | number }>(await s.app.database.transaction(tenantId, (db) => db.execute(sql`select count(*) as n from ${sql.identifier(table)}`)))[0]!.n);

  it('shows no tenant rows at all when no tenant is set', async () => {
    for (const table of ['outlets', 'terminals', 'roles', 'memberships', 'api_keys']) expect(await count(null, table), table).toBe(0);
  });

  it('shows only the current tenant’s rows even to a query without a tenant filter', async () => {
    const rows = rowsOf<{ tenant_id: string }>(await s.app.database.transaction(a.tenantId, (db) => db.execute(sql`select tenant_id from roles`)));
    expect(rows.length).toBe(4);
    expect(new Set(rows.map((r) => r.tenant_id))).toEqual(new Set([a.tenantId]));
  });

  it('refuses to write a row for another tenant', async () => {
    const failure = await s.app.database
      .transaction(a.tenantId, (db) => db.execute(sql`insert into outlets (tenant_id, id, code, name, time_zone) values (${b.tenantId}, ${uuidv7()}, 'X', 'X', 'UTC')`))
      .then(() => 'inserted', (e: Error & { cause?: Error }) => e.cause?.message ?? e.message);
    expect(failure).toMatch(/row-level security/);
  });
});

const pgReason = 'PostgreSQL only: set TEST_DATABASE_URL to run';
describe.skipIf(!usingPostgres())(`row-level security for the application role on PostgreSQL${usingPostgres() ? '' : ` (skipped: ${pgReason})`}`, () => {
  let client: pg.Client;
  let pool: pg.Pool;

  beforeAll(async () => {
    const { url } = await testDatabase();
    client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('SET ROLE kasir_app');
    pool = new pg.Pool({ connectionString: url, max: 2, options: '-c role=kasir_app' });
  });
  afterAll(async () => {
    await client?.end();
    await pool?.end();
  });

  const inTenant = async <T>(tenantId: string | null, work: () => Promise<T>): Promise<T> => {
    await client.query('BEGIN');
    try {
      if (tenantId) await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      return await work();
    } finally {
      await client.query('ROLLBACK');
    }
  };

  it('connects as a role that is neither superuser nor owner and cannot bypass RLS', async () => {
    const r = await pool.query(`SELECT current_user AS who, r.rolsuper, r.rolbypassrls FROM pg_roles r WHERE r.rolname = current_user`);
    expect(r.rows[0]).toEqual({ who: 'kasir_app', rolsuper: false, rolbypassrls: false });
    const owned = await pool.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user`);
    expect(owned.rows[0].n).toBe(0);
  });

  it('sees nothing in any tenant table without app.tenant_id', async () => {
    const tables = (await client.query(`SELECT DISTINCT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY 1`)).rows.map((r) => r.table_name as string);
    expect(tables).toEqual(expect.arrayContaining(['outlets', 'roles', 'memberships', 'api_keys', 'idempotency_keys']));
    for (const t of tables) {
      const r = await client.query(`SELECT count(*)::int AS n FROM ${pg.escapeIdentifier(t)}`);
      expect(r.rows[0].n, t).toBe(0);
    }
    expect((await pool.query('SELECT count(*)::int AS n FROM outlets')).rows[0].n).toBe(0);
  });

  it('sees only tenant A’s rows with tenant A set', async () => {
    const seen = await inTenant(a.tenantId, async () => (await client.query('SELECT DISTINCT tenant_id FROM outlets')).rows.map((r) => r.tenant_id));
    expect(seen).toEqual([a.tenantId]);
    const byId = await inTenant(a.tenantId, async () => (await client.query('SELECT count(*)::int AS n FROM outlets WHERE id = $1', [b.outletId])).rows[0].n);
    expect(byId).toBe(0);
  });

  it('cannot insert, update or delete tenant B’s rows while tenant A is set', async () => {
    await expect(
      inTenant(a.tenantId, () => client.query(`INSERT INTO outlets (tenant_id, id, code, name, time_zone) VALUES ($1, $2, 'EVIL', 'Evil', 'UTC')`, [b.tenantId, uuidv7()])),
    ).rejects.toThrow(/row-level security/);
    const changed = await inTenant(a.tenantId, async () => {
      const u = await client.query(`UPDATE outlets SET name = 'Hijacked' WHERE tenant_id = $1`, [b.tenantId]);
      const d = await client.query(`DELETE FROM terminals WHERE tenant_id = $1`, [b.tenantId]);
      return [u.rowCount, d.rowCount];
    });
    expect(changed).toEqual([0, 0]);
    await expect(inTenant(a.tenantId, () => client.query(`UPDATE outlets SET tenant_id = $1 WHERE tenant_id = $2`, [b.tenantId, a.tenantId]))).rejects.toThrow(/row-level security/);
  });

  it('cannot switch row-level security off', async () => {
    await expect(client.query('ALTER TABLE outlets DISABLE ROW LEVEL SECURITY')).rejects.toThrow(/must be owner/);
    await expect(client.query('ALTER TABLE outlets NO FORCE ROW LEVEL SECURITY')).rejects.toThrow(/must be owner/);
    await expect(client.query('DROP POLICY tenant_isolation ON outlets')).rejects.toThrow(/must be owner/);
    await client.query('SET row_security = off');
    try {
      await expect(client.query('SELECT * FROM outlets')).rejects.toThrow(/row-level security/);
    } finally {
      await client.query('RESET row_security');
    }
  });

  it('cannot take the platform worker’s role from an unprivileged login', async () => {
    // The application's own login may SET ROLE kasir_system (the job worker needs it); a login that is only
    // a member of kasir_app may not. This is why production should log in as such a role.
    const login = `kasir_login_${uuidv7().slice(-8).replace(/-/g, '')}`;
    const { url } = await testDatabase();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE ${login} LOGIN IN ROLE kasir_app`);
      const u = new URL(url!);
      u.username = login;
      const app = new pg.Client({ connectionString: u.toString(), options: '-c role=kasir_app' });
      await app.connect();
      try {
        expect((await app.query('SELECT count(*)::int AS n FROM outlets')).rows[0].n).toBe(0);
        await expect(app.query('SET ROLE kasir_system')).rejects.toThrow(/permission denied/);
        await expect(app.query('SET ROLE postgres')).rejects.toThrow(/permission denied/);
      } finally {
        await app.end();
      }
    } finally {
      await admin.query(`DROP ROLE IF EXISTS ${login}`).catch(() => undefined);
      await admin.end();
    }
  });

  it('lets provisioning write only inside the new tenant’s own scope', async () => {
    const t = await provisionTenant({ database: s.app.database, tenants: s.app.services.tenants, access: s.app.services.access, log: s.app.log }, { slug: `rls-${uuidv7().slice(-12)}`, name: 'RLS' });
    const seen = await inTenant(t.tenant.id, async () => (await client.query('SELECT count(*)::int AS n FROM roles')).rows[0].n);
    expect(seen).toBe(4);
  });
});
