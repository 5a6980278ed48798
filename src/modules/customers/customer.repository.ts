import { sql, type SQL } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { affected, rowsOf } from '../../platform/db.js';
import { customerFromRow, groupFromRow, type Customer, type CustomerGroup } from './customer.model.js';

/** Every column a Customer needs, with its groups; `c` is the customers row. */
const CUSTOMER_COLUMNS = sql`c.id, c.name, c.email, c.phone, to_char(c.birthday, 'YYYY-MM-DD') AS birthday, c.tags, c.notes, c.marketing_consent,
  c.points_balance, c.credit_balance, c.orders_count, c.lifetime_spend, c.last_order_at, c.merged_into, c.archived_at, c.created_at, c.updated_at,
  coalesce((SELECT array_agg(m.group_id ORDER BY m.group_id) FROM customer_group_members m WHERE m.tenant_id = c.tenant_id AND m.customer_id = c.id), '{}') AS group_ids,
  (SELECT t->>'name' FROM customer_settings s, jsonb_array_elements(s.tiers) t
    WHERE s.tenant_id = c.tenant_id AND (t->>'threshold')::numeric <= c.lifetime_spend ORDER BY (t->>'threshold')::numeric DESC LIMIT 1) AS tier,
  (SELECT currency FROM tenants WHERE id = c.tenant_id) AS currency`;

/** The columns a profile write sets. */
export type CustomerRow = Pick<Customer, 'name' | 'email' | 'phone' | 'birthday' | 'tags' | 'notes' | 'marketingConsent'>;

export interface CustomerFilter {
  q?: { text: string; like: string; phonePrefix: string | undefined } | undefined;
  groupId?: string | undefined;
  includeArchived?: boolean | undefined;
  after?: string | undefined;
  limit: number;
}

const many = async (tx: TxScope, q: SQL): Promise<Customer[]> => rowsOf<Record<string, unknown>>(await tx.db.execute(q)).map(customerFromRow);

/** SQL only; every statement names the tenant (row-level security is the second wall, not the first). */
export const customerRepository = {
  async byId(tx: TxScope, id: string, opts: { lock?: boolean } = {}): Promise<Customer | undefined> {
    const [c] = await many(tx, sql`SELECT ${CUSTOMER_COLUMNS} FROM customers c WHERE c.tenant_id = ${tx.tenantId} AND c.id = ${id} ${opts.lock ? sql`FOR UPDATE` : sql``}`);
    return c;
  },

  async byEmail(tx: TxScope, email: string): Promise<Customer | undefined> {
    const [c] = await many(tx, sql`SELECT ${CUSTOMER_COLUMNS} FROM customers c WHERE c.tenant_id = ${tx.tenantId} AND c.email = ${email} AND c.archived_at IS NULL`);
    return c;
  },

  async insert(tx: TxScope, id: string, r: CustomerRow): Promise<void> {
    await tx.db.execute(sql`
      INSERT INTO customers (tenant_id, id, name, email, phone, birthday, tags, notes, marketing_consent)
      VALUES (${tx.tenantId}, ${id}, ${r.name}, ${r.email}, ${r.phone}, ${r.birthday}::date, ${sql.raw('ARRAY[')}${sql.join(r.tags.map((t) => sql`${t}`), sql`, `)}${sql.raw(']::text[]')}, ${r.notes}, ${r.marketingConsent})`);
  },

  async update(tx: TxScope, id: string, r: Partial<CustomerRow>): Promise<boolean> {
    const sets: SQL[] = [];
    if (r.name !== undefined) sets.push(sql`name = ${r.name}`);
    if (r.email !== undefined) sets.push(sql`email = ${r.email}`);
    if (r.phone !== undefined) sets.push(sql`phone = ${r.phone}`);
    if (r.birthday !== undefined) sets.push(sql`birthday = ${r.birthday}::date`);
    if (r.tags !== undefined) sets.push(sql`tags = ${sql.raw('ARRAY[')}${sql.join(r.tags.map((t) => sql`${t}`), sql`, `)}${sql.raw(']::text[]')}`);
    if (r.notes !== undefined) sets.push(sql`notes = ${r.notes}`);
    if (r.marketingConsent !== undefined) sets.push(sql`marketing_consent = ${r.marketingConsent}`);
    sets.push(sql`updated_at = now()`);
    const res = await tx.db.execute(sql`UPDATE customers SET ${sql.join(sets, sql`, `)} WHERE tenant_id = ${tx.tenantId} AND id = ${id} AND archived_at IS NULL`);
    return affected(res) === 1;
  },

  async setGroups(tx: TxScope, customerId: string, groupIds: readonly string[]): Promise<void> {
    await tx.db.execute(sql`DELETE FROM customer_group_members WHERE tenant_id = ${tx.tenantId} AND customer_id = ${customerId}`);
    if (groupIds.length === 0) return;
    await tx.db.execute(sql`
      INSERT INTO customer_group_members (tenant_id, customer_id, group_id)
      SELECT ${tx.tenantId}, ${customerId}, g FROM unnest(${sql.raw('ARRAY[')}${sql.join(groupIds.map((g) => sql`${g}`), sql`, `)}${sql.raw(']::uuid[]')}) AS g
      ON CONFLICT DO NOTHING`);
  },

  /** Which of `ids` are groups of this tenant. */
  async existingGroups(tx: TxScope, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = rowsOf<{ id: string }>(await tx.db.execute(sql`SELECT id FROM customer_groups WHERE tenant_id = ${tx.tenantId} AND id IN (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})`));
    return new Set(rows.map((r) => r.id));
  },

  /**
   * A page of customers. Without a query: by id (keyset). With one: e-mail prefix, phone prefix, or name
   * (contains, or pg_trgm word similarity for typos), best match first; one page only.
   */
  async list(tx: TxScope, f: CustomerFilter): Promise<Customer[]> {
    const where: SQL[] = [sql`c.tenant_id = ${tx.tenantId}`];
    if (!f.includeArchived) where.push(sql`c.archived_at IS NULL`);
    if (f.groupId) where.push(sql`EXISTS (SELECT 1 FROM customer_group_members m WHERE m.tenant_id = c.tenant_id AND m.customer_id = c.id AND m.group_id = ${f.groupId})`);
    if (!f.q) {
      if (f.after) where.push(sql`c.id > ${f.after}`);
      return many(tx, sql`SELECT ${CUSTOMER_COLUMNS} FROM customers c WHERE ${sql.join(where, sql` AND `)} ORDER BY c.id LIMIT ${f.limit + 1}`);
    }
    const { text, like, phonePrefix } = f.q;
    const fuzzy = text.length >= 3;
    const match: SQL[] = [sql`lower(c.name) LIKE ${`%${like}%`}`, sql`c.email LIKE ${`${like}%`}`];
    if (phonePrefix) match.push(sql`c.phone LIKE ${`${phonePrefix}%`}`);
    if (fuzzy) match.push(sql`${text} <% lower(c.name)`);
    where.push(sql`(${sql.join(match, sql` OR `)})`);
    return many(tx, sql`
      SELECT ${CUSTOMER_COLUMNS} FROM customers c WHERE ${sql.join(where, sql` AND `)}
      ORDER BY (c.email = ${text} OR c.phone = ${phonePrefix ?? ''}) DESC, (lower(c.name) LIKE ${`${like}%`}) DESC,
               ${fuzzy ? sql`word_similarity(${text}, lower(c.name)) DESC,` : sql``} c.id
      LIMIT ${f.limit}`);
  },

  /**
   * Merges `source` into `target`: orders, ledger entries and group memberships move; balances, counters and
   * tags add up; the source is archived (freeing its e-mail and phone, which the target takes if it has none).
   * The caller holds both rows locked.
   */
  async merge(tx: TxScope, target: Customer, source: Customer): Promise<void> {
    await tx.db.execute(sql`UPDATE orders SET customer_id = ${target.id} WHERE tenant_id = ${tx.tenantId} AND customer_id = ${source.id}`);
    await tx.db.execute(sql`UPDATE loyalty_entries SET customer_id = ${target.id} WHERE tenant_id = ${tx.tenantId} AND customer_id = ${source.id}`);
    await tx.db.execute(sql`
      INSERT INTO customer_group_members (tenant_id, customer_id, group_id)
      SELECT tenant_id, ${target.id}, group_id FROM customer_group_members WHERE tenant_id = ${tx.tenantId} AND customer_id = ${source.id}
      ON CONFLICT DO NOTHING`);
    await tx.db.execute(sql`DELETE FROM customer_group_members WHERE tenant_id = ${tx.tenantId} AND customer_id = ${source.id}`);
    await tx.db.execute(sql`
      UPDATE customers SET points_balance = 0, credit_balance = 0, orders_count = 0, lifetime_spend = 0,
             merged_into = ${target.id}, archived_at = now(), updated_at = now()
       WHERE tenant_id = ${tx.tenantId} AND id = ${source.id}`);
    await tx.db.execute(sql`
      UPDATE customers t SET
        points_balance = t.points_balance + ${source.pointsBalance}, credit_balance = t.credit_balance + ${source.creditBalance},
        orders_count = t.orders_count + ${source.ordersCount}, lifetime_spend = t.lifetime_spend + ${source.lifetimeSpend},
        last_order_at = greatest(t.last_order_at, ${source.lastOrderAt?.toISOString() ?? null}::timestamptz),
        email = coalesce(t.email, ${source.email}), phone = coalesce(t.phone, ${source.phone}),
        birthday = coalesce(t.birthday, ${source.birthday}::date), notes = coalesce(t.notes, ${source.notes}),
        tags = ARRAY(SELECT DISTINCT unnest(t.tags || (SELECT s.tags FROM customers s WHERE s.tenant_id = t.tenant_id AND s.id = ${source.id}))),
        marketing_consent = t.marketing_consent OR ${source.marketingConsent}, updated_at = now()
       WHERE t.tenant_id = ${tx.tenantId} AND t.id = ${target.id}`);
  },

  async insertGroup(tx: TxScope, id: string, name: string, description: string | null): Promise<void> {
    await tx.db.execute(sql`INSERT INTO customer_groups (tenant_id, id, name, description) VALUES (${tx.tenantId}, ${id}, ${name}, ${description})`);
  },

  async updateGroup(tx: TxScope, id: string, name: string | undefined, description: string | null | undefined): Promise<boolean> {
    const res = await tx.db.execute(sql`
      UPDATE customer_groups SET name = coalesce(${name ?? null}, name),
        description = ${description === undefined ? sql`description` : sql`${description}`}, updated_at = now()
       WHERE tenant_id = ${tx.tenantId} AND id = ${id}`);
    return affected(res) === 1;
  },

  async groupById(tx: TxScope, id: string): Promise<CustomerGroup | undefined> {
    const [g] = rowsOf<Record<string, unknown>>(await tx.db.execute(sql`SELECT * FROM customer_groups WHERE tenant_id = ${tx.tenantId} AND id = ${id}`));
    return g ? groupFromRow(g) : undefined;
  },

  async listGroups(tx: TxScope, after: string | undefined, limit: number): Promise<CustomerGroup[]> {
    return rowsOf<Record<string, unknown>>(
      await tx.db.execute(sql`SELECT * FROM customer_groups WHERE tenant_id = ${tx.tenantId} ${after ? sql`AND id > ${after}` : sql``} ORDER BY id LIMIT ${limit + 1}`),
    ).map(groupFromRow);
  },

  async orderExists(tx: TxScope, orderId: string): Promise<boolean> {
    return rowsOf(await tx.db.execute(sql`SELECT 1 FROM orders WHERE tenant_id = ${tx.tenantId} AND id = ${orderId}`)).length === 1;
  },

  /** What promotions ask of a customer: its groups and how many orders it completed, counted from the orders themselves (an id with no profile yet still has its order history). */
  async facts(tx: TxScope, id: string): Promise<{ groupIds: string[]; completedOrders: number }> {
    const [r] = rowsOf<{ group_ids: string[] | null; orders_count: number }>(
      await tx.db.execute(sql`
        SELECT (SELECT count(*) FROM orders o WHERE o.tenant_id = ${tx.tenantId} AND o.customer_id = ${id} AND o.status = 'COMPLETED') AS orders_count,
               (SELECT array_agg(m.group_id) FROM customer_group_members m WHERE m.tenant_id = ${tx.tenantId} AND m.customer_id = ${id}) AS group_ids`),
    );
    return { groupIds: (r!.group_ids ?? []).sort(), completedOrders: Number(r!.orders_count) };
  },
};
