import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { payments, type Payment, type PaymentState } from './sales.schema.js';
import { insertOne, preparedQuery } from '../../platform/prepared.js';

export type NewPayment = Omit<typeof payments.$inferInsert, 'tenantId' | 'createdAt' | 'updatedAt'>;

/** Payments (tenders). SQL only; every query names the tenant. */
export const paymentRepository = {
  async insert(tx: TxScope, row: NewPayment): Promise<Payment> {
    return (await insertOne(tx, payments, 'payment', row))!;
  },

  /** Inserts unless the key is taken; undefined when it is (the existing payment answers the retry). */
  async insertUnlessKeyTaken(tx: TxScope, row: NewPayment): Promise<Payment | undefined> {
    return insertOne(tx, payments, 'payment_once', row, [payments.tenantId, payments.idempotencyKey]);
  },

  async byKey(tx: TxScope, key: string): Promise<Payment | undefined> {
    const q = preparedQuery(tx.db, 'sales_payment_by_key', () =>
      tx.db.select().from(payments).where(and(eq(payments.tenantId, sql.placeholder('t')), eq(payments.idempotencyKey, sql.placeholder('key')))).prepare('sales_payment_by_key'),
    );
    const [p] = await q.execute({ t: tx.tenantId, key });
    return p;
  },

  async byId(tx: TxScope, id: string): Promise<Payment | undefined> {
    const [p] = await tx.db.select().from(payments).where(and(eq(payments.tenantId, tx.tenantId), eq(payments.id, id)));
    return p;
  },

  async ofOrder(tx: TxScope, orderId: string): Promise<Payment[]> {
    const q = preparedQuery(tx.db, 'sales_order_payments', () =>
      tx.db
        .select()
        .from(payments)
        .where(and(eq(payments.tenantId, sql.placeholder('t')), eq(payments.orderId, sql.placeholder('id'))))
        .orderBy(asc(payments.id))
        .prepare('sales_order_payments'),
    );
    return q.execute({ t: tx.tenantId, id: orderId });
  },

  async ofOrders(tx: TxScope, orderIds: readonly string[]): Promise<Payment[]> {
    if (orderIds.length === 0) return [];
    return tx.db
      .select()
      .from(payments)
      .where(and(eq(payments.tenantId, tx.tenantId), inArray(payments.orderId, [...orderIds])))
      .orderBy(asc(payments.id));
  },

  /** Moves a payment from `from` (a provider answered); undefined when another request moved it first. */
  async settle(tx: TxScope, id: string, from: PaymentState, patch: Partial<Pick<Payment, 'status' | 'providerReference' | 'failureReason' | 'cardBrand' | 'cardLast4' | 'capturedAt'>>): Promise<Payment | undefined> {
    const [p] = await tx.db
      .update(payments)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(payments.tenantId, tx.tenantId), eq(payments.id, id), eq(payments.status, from)))
      .returning();
    return p;
  },

  /** Takes `amount` off what the payment can still give back; false when that would exceed what it applied. */
  async addRefunded(tx: TxScope, id: string, amount: bigint): Promise<boolean> {
    const r = await tx.db
      .update(payments)
      .set({ refundedAmount: sql`${payments.refundedAmount} + ${amount}`, updatedAt: sql`now()` })
      .where(and(eq(payments.tenantId, tx.tenantId), eq(payments.id, id), eq(payments.status, 'CAPTURED'), sql`${payments.refundedAmount} + ${amount} <= ${payments.amount}`))
      .returning({ id: payments.id });
    return r.length === 1;
  },
};
