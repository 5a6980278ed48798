import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import type { ChangeCursor } from './change-cursor.js';
import { categories, images, modifierGroups, modifiers, priceBooks, prices, productModifierGroups, productOutletAvailability, products, taxCategories, taxRules, variants } from './catalog.schema.js';

/**
 * One source per catalog table (every table of 0003 with a change_seq), in the order a register should apply
 * one transaction's rows: parents before children. Rows of one seq are ordered by their key columns (`k1`,
 * `k2`), which the table's feed index (0004_catalog_core.sql) holds after (tenant_id, change_seq); the id the
 * feed reports is "<k1>" or "<k1>:<k2>". `data` is the row as JSON: every column of the Drizzle mirror
 * (snake_case) but tenant_id and change_seq, plus `extra` for what lives in side tables without a clock of
 * their own. row_to_json over a sub-select of named columns (to_jsonb(row) costs three times as much), as
 * compact text that the service passes through to the response unparsed.
 */
interface Source {
  type: string;
  table: PgTable;
  k1: string;
  k2?: string;
  /** Extra fields: name → SQL expression over the row `t`. */
  extra?: Record<string, string>;
}

export const FEED_SOURCES: readonly Source[] = [
  { type: 'category', table: categories, k1: 'id' },
  { type: 'tax_category', table: taxCategories, k1: 'id' },
  { type: 'product', table: products, k1: 'id' },
  {
    type: 'variant',
    table: variants,
    k1: 'id',
    extra: { barcodes: `coalesce((SELECT json_agg(b.code ORDER BY b.code) FROM barcodes b WHERE b.tenant_id = t.tenant_id AND b.variant_id = t.id), '[]'::json)` },
  },
  { type: 'product_availability', table: productOutletAvailability, k1: 'product_id', k2: 'outlet_id' },
  { type: 'modifier_group', table: modifierGroups, k1: 'id' },
  { type: 'modifier', table: modifiers, k1: 'id' },
  { type: 'product_modifier_group', table: productModifierGroups, k1: 'product_id', k2: 'group_id' },
  {
    type: 'tax_rule',
    table: taxRules,
    k1: 'id',
    extra: {
      exempt_tax_category_ids: `coalesce((SELECT json_agg(e.tax_category_id ORDER BY e.tax_category_id) FROM tax_exemptions e WHERE e.tenant_id = t.tenant_id AND e.tax_rule_id = t.id), '[]'::json)`,
    },
  },
  { type: 'price_book', table: priceBooks, k1: 'id' },
  { type: 'price', table: prices, k1: 'price_book_id', k2: 'variant_id' },
  { type: 'image', table: images, k1: 'id' },
];

const tableName = (s: Source): string => getTableName(s.table);
const dataColumns = (s: Source): string[] =>
  Object.entries(getTableColumns(s.table))
    .map(([key, c]) => (c.keyAsName ? toSnakeCase(key) : c.name))
    .filter((c) => c !== 'tenant_id' && c !== 'change_seq');

/**
 * Deletions (tombstones) come first within their seq, so a register applying a page in order ends right when
 * one transaction deleted rows and wrote others (a row deleted and re-created, or a collection tombstone such
 * as "variant_prices" followed by the re-stamped survivors). Their key is "<entity_type>:<entity_id>".
 */
export const TOMBSTONE_TYPE = 'deleted';
const TOMBSTONE_RANK = 0;

export function feedRank(type: string): number | undefined {
  if (type === TOMBSTONE_TYPE) return TOMBSTONE_RANK;
  const i = FEED_SOURCES.findIndex((s) => s.type === type);
  return i < 0 ? undefined : i + 1;
}

export interface FeedRow {
  rank: number;
  seq: bigint;
  /** The tombstone's entity_type; null for upserts. */
  entity_type: string | null;
  k1: string;
  k2: string | null;
  /** The row as JSON text, exactly as PostgreSQL rendered it (never parsed here: the feed passes it through). */
  data: string | null;
}

/** The key of a row as cursors and the feed's ids spell it. */
export const feedKey = (r: Pick<FeedRow, 'entity_type' | 'k1' | 'k2'>): string => (r.entity_type !== null ? `${r.entity_type}:${r.k1}` : r.k2 ? `${r.k1}:${r.k2}` : r.k1);

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** A cursor key back into its columns for `type`, or undefined if it is not one this feed wrote. */
export function parseFeedKey(type: string, key: string): string[] | undefined {
  if (type === TOMBSTONE_TYPE) {
    const m = new RegExp(`^(.+):(${UUID})$`).exec(key);
    return m ? [m[1]!, m[2]!] : undefined;
  }
  const s = FEED_SOURCES.find((x) => x.type === type);
  const m = s && new RegExp(s.k2 ? `^(${UUID}):(${UUID})$` : `^(${UUID})$`).exec(key);
  return m ? m.slice(1) : undefined;
}

interface Branch {
  rank: number;
  table: string;
  /** Key columns in order, and how each is cast when compared with a cursor's text. */
  keys: { col: string; cast: string }[];
  entityType: string;
}

const branches: Branch[] = [
  { rank: TOMBSTONE_RANK, table: 'catalog_tombstones', keys: [{ col: 'entity_type', cast: 'text' }, { col: 'entity_id', cast: 'uuid' }], entityType: 't.entity_type' },
  ...FEED_SOURCES.map((s, i) => ({
    rank: i + 1,
    table: tableName(s),
    keys: [{ col: s.k1, cast: 'uuid' }, ...(s.k2 ? [{ col: s.k2, cast: 'uuid' }] : [])],
    entityType: 'NULL::text',
  })),
];

/** Rows of one branch after the cursor: a row comparison the feed index answers as a range. */
function after(cursor: ChangeCursor, b: Branch): SQL {
  const within = cursor.within;
  const atRank = within ? feedRank(within.type)! : undefined;
  if (!within || b.rank < atRank!) return sql`t.change_seq > ${cursor.seq}`;
  if (b.rank > atRank!) return sql`t.change_seq >= ${cursor.seq}`;
  const parts = parseFeedKey(within.type, within.key)!;
  const cols = sql.raw(['t.change_seq', ...b.keys.map((k) => `t.${k.col}`)].join(', '));
  const vals = sql.join([sql`${cursor.seq}::bigint`, ...b.keys.map((k, i) => sql`${parts[i]}::${sql.raw(k.cast)}`)], sql`, `);
  return sql`(${cols}) > (${vals})`;
}

function branchSql(tenantId: string, cursor: ChangeCursor, b: Branch, limit: number): SQL {
  const [k1, k2] = b.keys;
  const isTombstone = b.rank === TOMBSTONE_RANK;
  const select = isTombstone ? `t.entity_type AS s1, t.entity_id AS k1, NULL::uuid AS k2` : `NULL::text AS s1, t.${k1!.col} AS k1, ${k2 ? `t.${k2.col}` : 'NULL::uuid'} AS k2`;
  const order = ['t.change_seq', ...b.keys.map((k) => `t.${k.col}`)].join(', ');
  return sql`(SELECT ${sql.raw(String(b.rank))} AS rank, t.change_seq AS seq, ${sql.raw(select)}
      FROM ${sql.raw(b.table)} t
     WHERE t.tenant_id = ${tenantId} AND ${after(cursor, b)}
     ORDER BY ${sql.raw(order)} LIMIT ${limit})`;
}

/**
 * The kept page rows of one source joined to the source's table by key, each rendered as compact JSON text
 * (a join the planner runs as one parameterized index scan per row or a hash join, cheaper than a correlated
 * sub-select per row, which measured ~25 us a row of database CPU under load).
 */
function renderedOf(tenantId: string, s: Source, rank: number): SQL {
  const fields = [...dataColumns(s).map((c) => `t.${c}`), ...Object.entries(s.extra ?? {}).map(([name, expr]) => `${expr} AS ${name}`)];
  const match = s.k2 ? `t.${s.k1} = k.k1 AND t.${s.k2} = k.k2` : `t.${s.k1} = k.k1`;
  return sql`SELECT k.rn, (SELECT row_to_json(r)::text FROM (SELECT ${sql.raw(fields.join(', '))}) r) AS data
      FROM kept k JOIN ${sql.raw(tableName(s))} t ON t.tenant_id = ${tenantId} AND ${sql.raw(match)}
     WHERE k.keep AND k.rank = ${sql.raw(String(rank))}`;
}

export const changeFeedRepository = {
  /**
   * The `pageSize + 1` changes after `cursor`, in (seq, rank, key) order, in ONE statement so that every row
   * comes from one snapshot (a write committing between two statements could otherwise land half in a page).
   * Each table contributes at most `pageSize + 1` rows by one range scan of its feed index. JSON is built, by
   * primary key, only for the rows cutChangePage will keep: the statement applies the same rule (see `keep`),
   * so rows cut back to end the page on a whole seq cost nothing. `cursor.within`, if set, must have passed
   * parseFeedKey.
   */
  async page(tx: TxScope, cursor: ChangeCursor, pageSize: number): Promise<FeedRow[]> {
    const t = tx.tenantId;
    const n = pageSize;
    const rendered = FEED_SOURCES.map((s, i) => renderedOf(t, s, i + 1));
    // Timestamps inside `data` are rendered in UTC whatever the server's TimeZone. JIT off: the planner's
    // cost for this union crosses jit_above_cost, and compiling it took 120 ms of a 40 ms query.
    await tx.db.execute(sql`SELECT set_config('TimeZone', 'UTC', true), set_config('jit', 'off', true)`);
    // keep ⇔ cutChangePage keeps the row: among the first n, unless row n+1 continues row n's seq, in which
    // case only the rows of earlier seqs (or all n when the page holds nothing but that seq).
    const r = await tx.db.execute(sql`
      WITH page AS (
        SELECT u.*, row_number() OVER (ORDER BY seq, rank, s1, k1, k2) AS rn FROM (
          SELECT * FROM (${sql.join(branches.map((b) => branchSql(t, cursor, b, n + 1)), sql` UNION ALL `)}) a
           ORDER BY seq, rank, s1, k1, k2 LIMIT ${n + 1}
        ) u
      ), edge AS (
        SELECT max(seq) FILTER (WHERE rn = 1) AS first_seq, max(seq) FILTER (WHERE rn = ${n}) AS last_seq, max(seq) FILTER (WHERE rn = ${n + 1}) AS next_seq FROM page
      ), kept AS MATERIALIZED (
        SELECT page.*, (page.rn <= ${n} AND (edge.next_seq IS NULL OR edge.next_seq > edge.last_seq OR page.seq < edge.last_seq OR edge.first_seq = edge.last_seq)) AS keep
          FROM page CROSS JOIN edge
      ), rendered AS (
        ${sql.join(rendered, sql` UNION ALL `)}
      )
      SELECT k.rank, k.seq, k.s1 AS entity_type, k.k1, k.k2, d.data
        FROM kept k LEFT JOIN rendered d ON d.rn = k.rn ORDER BY k.rn`);
    return rowsOf<FeedRow & { seq: bigint | string }>(r).map((row) => ({ ...row, seq: BigInt(row.seq) }));
  },
};
