import { sql } from 'drizzle-orm';
import type { Database } from '../../src/platform/db.js';
import { preparedRows } from '../../src/platform/prepared.js';

/**
 * A cheap per-tenant fingerprint of every tenant table: its row count and latest `updated_at`, read in one
 * statement under the tenant's row-level security. Two equal fingerprints around a refused request mean it
 * wrote nothing (no row added or removed, none touched).
 */
export interface Fingerprinter {
  tables: string[];
  of(tenantId: string): Promise<string>;
  /** Names the tables whose part differs between two fingerprints. */
  diff(a: string, b: string): string[];
}

export async function fingerprinter(database: Database): Promise<Fingerprinter> {
  const cols = (
    await database.query<{ table_name: string; column_name: string }>(
      `SELECT c.table_name, c.column_name FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
        WHERE c.table_schema = 'public' AND c.column_name IN ('tenant_id', 'updated_at')`,
    )
  ).rows;
  const withTenant = [...new Set(cols.filter((c) => c.column_name === 'tenant_id').map((c) => c.table_name))].sort();
  const withUpdated = new Set(cols.filter((c) => c.column_name === 'updated_at').map((c) => c.table_name));
  const parts = withTenant.map((t) => `(SELECT count(*)::text${withUpdated.has(t) ? ` || '@' || coalesce(max(updated_at)::text, '')` : ''} FROM "${t}")`);
  const statement = sql.raw(`SELECT concat_ws('|', ${parts.join(', ')}) AS fp`);
  return {
    tables: withTenant,
    async of(tenantId) {
      // Prepared: planning 70-odd subqueries costs more than running them, once per case per lane.
      return database.read(tenantId, async (db) => (await preparedRows<{ fp: string }>({ db, tenantId }, 'fuzz_fingerprint', statement))[0]!.fp);
    },
    diff(a, b) {
      const x = a.split('|');
      const y = b.split('|');
      return withTenant.flatMap((t, i) => (x[i] === y[i] ? [] : [`${t}: ${x[i]} → ${y[i]}`]));
    },
  };
}
