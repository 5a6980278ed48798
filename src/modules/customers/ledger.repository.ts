import { sql } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { uuidv7 } from '../../platform/ids.js';

export type Account = 'points' | 'credit';
export type EntryKind = 'earn' | 'reverse' | 'redeem' | 'return' | 'adjust' | 'expire' | 'issue';

export interface LedgerEntry {
  id: string;
  customerId: string;
  account: Account;
  kind: EntryKind;
  /** Signed: points (or minor units of store credit) added or taken. */
  amount: bigint;
  remaining: bigint;
  expiresAt: Date | null;
  money: bigint | null;
  orderId: string | null;
  paymentId: string | null;
  refundId: string | null;
  reference: string;
  note: string | null;
  createdBy: string | null;
  createdAt: Date;
}

export interface NewEntry {
  customerId: string;
  account: Account;
  kind: EntryKind;
  /** Positive: how much to add (credit) or take (debit). Zero is allowed for earn/reverse markers. */
  amount: bigint;
  reference: string;
  expiresAt?: Date | null;
  money?: bigint | null;
  orderId?: string | null;
  paymentId?: string | null;
  refundId?: string | null;
  note?: string | null;
  createdBy?: string | null;
}

type Row = Record<string, unknown>;
const d = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));
const b = (v: unknown): bigint | null => (v === null || v === undefined ? null : BigInt(v as string));

export function entryFromRow(r: Row): LedgerEntry {
  return {
    id: r.id as string, customerId: r.customer_id as string, account: r.account as Account, kind: r.kind as EntryKind,
    amount: b(r.amount)!, remaining: b(r.remaining)!, expiresAt: d(r.expires_at), money: b(r.money),
    orderId: (r.order_id as string | null) ?? null, paymentId: (r.payment_id as string | null) ?? null, refundId: (r.refund_id as string | null) ?? null,
    reference: r.reference as string, note: (r.note as string | null) ?? null, createdBy: (r.created_by as string | null) ?? null, createdAt: d(r.created_at)!,
  };
}

const balanceColumn = (a: Account) => (a === 'points' ? sql.raw('points_balance') : sql.raw('credit_balance'));

const insertValues = (tx: TxScope, id: string, e: NewEntry, signed: bigint, remaining: bigint) => sql`
  INSERT INTO loyalty_entries (tenant_id, id, customer_id, account, kind, amount, remaining, expires_at, money, order_id, payment_id, refund_id, reference, note, created_by)
  VALUES (${tx.tenantId}, ${id}, ${e.customerId}, ${e.account}, ${e.kind}, ${signed}, ${remaining}, ${e.expiresAt?.toISOString() ?? null}::timestamptz, ${e.money ?? null},
          ${e.orderId ?? null}, ${e.paymentId ?? null}, ${e.refundId ?? null}, ${e.reference}, ${e.note ?? null}, ${e.createdBy ?? null})
  ON CONFLICT (tenant_id, account, reference) DO NOTHING RETURNING id`;

/**
 * The ledger. A balance on the customer row is the sum of that account's entries, always: every entry is
 * written in the same statement as the balance change. Positive point entries keep what is left of them
 * (`remaining`); debits spend the oldest-expiring first. The customer row's lock (taken by the balance UPDATE)
 * serializes every change of one customer's points, so spending buckets needs no locks of its own.
 */
export const ledgerRepository = {
  /**
   * Adds `e.amount`. Returns the new entry's id, or undefined when an entry with this reference exists
   * (a retry: nothing written). One statement.
   */
  async credit(tx: TxScope, e: NewEntry): Promise<string | undefined> {
    const id = uuidv7();
    const remaining = e.account === 'points' ? e.amount : 0n;
    const [r] = rowsOf<{ id: string | null }>(await tx.db.execute(sql`
      WITH ins AS (${insertValues(tx, id, e, e.amount, remaining)}),
      upd AS (UPDATE customers SET ${balanceColumn(e.account)} = ${balanceColumn(e.account)} + ${e.amount}, updated_at = now()
               WHERE tenant_id = ${tx.tenantId} AND id = ${e.customerId} AND EXISTS (SELECT 1 FROM ins) RETURNING id)
      SELECT (SELECT id FROM ins) AS id, (SELECT id FROM upd) AS customer`));
    return r?.id ?? undefined;
  },

  /**
   * Takes `e.amount` if the balance holds it (guarded UPDATE: never below zero, whoever else is spending).
   * 'done' with the entry id; 'replay' when an entry with this reference exists (nothing written);
   * 'insufficient' when the balance is short — the caller must throw so the entry it inserted rolls back.
   */
  async debit(tx: TxScope, e: NewEntry): Promise<{ status: 'done'; id: string } | { status: 'replay' } | { status: 'insufficient'; balance: bigint }> {
    const id = uuidv7();
    const [r] = rowsOf<{ id: string | null; balance: string | null }>(await tx.db.execute(sql`
      WITH ins AS (${insertValues(tx, id, e, -e.amount, 0n)}),
      upd AS (UPDATE customers SET ${balanceColumn(e.account)} = ${balanceColumn(e.account)} - ${e.amount}, updated_at = now()
               WHERE tenant_id = ${tx.tenantId} AND id = ${e.customerId} AND ${balanceColumn(e.account)} >= ${e.amount} AND EXISTS (SELECT 1 FROM ins)
               RETURNING ${balanceColumn(e.account)} AS balance)
      SELECT (SELECT id FROM ins) AS id, (SELECT balance FROM upd) AS balance`));
    if (!r?.id) return { status: 'replay' };
    if (r.balance === null) {
      const [c] = rowsOf<{ balance: string }>(await tx.db.execute(sql`SELECT ${balanceColumn(e.account)} AS balance FROM customers WHERE tenant_id = ${tx.tenantId} AND id = ${e.customerId}`));
      return { status: 'insufficient', balance: BigInt(c?.balance ?? 0) };
    }
    if (e.account === 'points' && e.amount > 0n) await spendBuckets(tx, e.customerId, e.amount);
    return { status: 'done', id };
  },

  /** Locks the customer row and returns its balances (for a change that depends on them, e.g. expiry). */
  async lockBalances(tx: TxScope, customerId: string): Promise<{ points: bigint; credit: bigint } | undefined> {
    const [r] = rowsOf<{ p: string; c: string }>(await tx.db.execute(sql`SELECT points_balance AS p, credit_balance AS c FROM customers WHERE tenant_id = ${tx.tenantId} AND id = ${customerId} FOR UPDATE`));
    return r ? { points: BigInt(r.p), credit: BigInt(r.c) } : undefined;
  },

  async byReference(tx: TxScope, account: Account, reference: string): Promise<LedgerEntry | undefined> {
    const [r] = rowsOf<Row>(await tx.db.execute(sql`SELECT * FROM loyalty_entries WHERE tenant_id = ${tx.tenantId} AND account = ${account} AND reference = ${reference}`));
    return r ? entryFromRow(r) : undefined;
  },

  /** Entries of one order (earn and reversals, redemptions and returns). */
  async ofOrder(tx: TxScope, orderId: string): Promise<LedgerEntry[]> {
    return rowsOf<Row>(await tx.db.execute(sql`SELECT * FROM loyalty_entries WHERE tenant_id = ${tx.tenantId} AND order_id = ${orderId} ORDER BY id`)).map(entryFromRow);
  },

  async list(tx: TxScope, customerId: string, account: Account | undefined, after: string | undefined, limit: number): Promise<LedgerEntry[]> {
    return rowsOf<Row>(await tx.db.execute(sql`
      SELECT * FROM loyalty_entries WHERE tenant_id = ${tx.tenantId} AND customer_id = ${customerId}
        ${account ? sql`AND account = ${account}` : sql``} ${after ? sql`AND id > ${after}` : sql``}
      ORDER BY id LIMIT ${limit + 1}`)).map(entryFromRow);
  },

  /**
   * Expires what is left of a customer's point buckets past their expiry: one 'expire' entry for the lot, the
   * buckets emptied, the balance lowered. Returns the points expired (0: nothing written).
   */
  async expire(tx: TxScope, customerId: string, now: Date): Promise<bigint> {
    if (!(await this.lockBalances(tx, customerId))) return 0n;
    const [due] = rowsOf<{ total: string | null }>(await tx.db.execute(sql`
      SELECT sum(remaining) AS total FROM loyalty_entries
       WHERE tenant_id = ${tx.tenantId} AND customer_id = ${customerId} AND account = 'points' AND remaining > 0 AND expires_at <= ${now.toISOString()}::timestamptz`));
    const total = BigInt(due?.total ?? 0);
    if (total === 0n) return 0n;
    await tx.db.execute(sql`
      UPDATE loyalty_entries SET remaining = 0
       WHERE tenant_id = ${tx.tenantId} AND customer_id = ${customerId} AND account = 'points' AND remaining > 0 AND expires_at <= ${now.toISOString()}::timestamptz`);
    const id = uuidv7();
    await tx.db.execute(sql`
      WITH ins AS (${insertValues(tx, id, { customerId, account: 'points', kind: 'expire', amount: total, reference: `expire:${id}` }, -total, 0n)})
      UPDATE customers SET points_balance = points_balance - ${total}, updated_at = now() WHERE tenant_id = ${tx.tenantId} AND id = ${customerId} AND EXISTS (SELECT 1 FROM ins)`);
    return total;
  },

  /** Customers of this tenant with point buckets past their expiry that still hold points. */
  async customersWithExpired(tx: TxScope, now: Date, limit: number): Promise<string[]> {
    return rowsOf<{ customer_id: string }>(await tx.db.execute(sql`
      SELECT DISTINCT customer_id FROM loyalty_entries
       WHERE tenant_id = ${tx.tenantId} AND account = 'points' AND remaining > 0 AND expires_at <= ${now.toISOString()}::timestamptz LIMIT ${limit}`)).map((r) => r.customer_id);
  },
};

/** Spends `amount` points from the customer's buckets, oldest-expiring first (never-expiring last). */
async function spendBuckets(tx: TxScope, customerId: string, amount: bigint): Promise<void> {
  await tx.db.execute(sql`
    UPDATE loyalty_entries e SET remaining = e.remaining - least(e.remaining, ${amount} - (o.running - e.remaining))
      FROM (SELECT id, sum(remaining) OVER (ORDER BY expires_at NULLS LAST, id) AS running
              FROM loyalty_entries WHERE tenant_id = ${tx.tenantId} AND customer_id = ${customerId} AND account = 'points' AND remaining > 0) o
     WHERE e.tenant_id = ${tx.tenantId} AND e.id = o.id AND o.running - e.remaining < ${amount}`);
}
