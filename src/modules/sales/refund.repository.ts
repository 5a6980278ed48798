import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { nextReceiptSeqCte, receiptNumberExpr } from './receipt.repository.js';
import { orderItems, orders, refundLines, refunds, refundTenders, type Refund, type RefundLine, type RefundTender } from './sales.schema.js';

export interface NewRefund {
  id: string;
  orderId: string;
  outletId: string;
  outletCode: string;
  kind: Refund['kind'];
  currency: string;
  amount: bigint;
  reason: string;
  businessDate: string;
  idempotencyKey: string | null;
  createdBy: string | null;
}

/** Refunds, their lines and tenders, and the guards that keep them within what was paid. SQL only. */
export const refundRepository = {
  /** Inserts the refund numbered from the outlet's refund series, in one statement. */
  async insert(tx: TxScope, r: NewRefund): Promise<Refund> {
    const [row] = rowsOf<{ receipt_number: string; receipt_seq: bigint | string; created_at: Date | string }>(
      await tx.db.execute(sql`
        WITH c AS (${nextReceiptSeqCte(tx, r.outletId, 'refund')})
        INSERT INTO refunds (tenant_id, id, order_id, outlet_id, kind, currency, amount, reason, receipt_number, receipt_seq, business_date, idempotency_key, created_by)
        SELECT ${tx.tenantId}, ${r.id}, ${r.orderId}, ${r.outletId}, ${r.kind}, ${r.currency}, ${r.amount}, ${r.reason},
               ${receiptNumberExpr(r.outletCode, 'refund', sql`c.last_value`)}, c.last_value, ${r.businessDate}::date, ${r.idempotencyKey}, ${r.createdBy}
          FROM c
        RETURNING receipt_number, receipt_seq, created_at`),
    );
    return {
      tenantId: tx.tenantId,
      id: r.id,
      orderId: r.orderId,
      outletId: r.outletId,
      kind: r.kind,
      currency: r.currency,
      amount: r.amount,
      reason: r.reason,
      receiptNumber: row!.receipt_number,
      receiptSeq: BigInt(row!.receipt_seq),
      businessDate: r.businessDate,
      idempotencyKey: r.idempotencyKey,
      createdBy: r.createdBy,
      createdAt: new Date(row!.created_at),
    };
  },

  async insertLines(tx: TxScope, rows: Omit<RefundLine, 'tenantId'>[]): Promise<void> {
    if (rows.length) await tx.db.insert(refundLines).values(rows.map((r) => ({ ...r, tenantId: tx.tenantId })));
  },

  async insertTenders(tx: TxScope, rows: Omit<RefundTender, 'tenantId'>[]): Promise<void> {
    if (rows.length) await tx.db.insert(refundTenders).values(rows.map((r) => ({ ...r, tenantId: tx.tenantId })));
  },

  /** Records a provider's answer on a PENDING refund tender. */
  async settleTender(tx: TxScope, refundId: string, paymentId: string, status: 'SUCCEEDED' | 'FAILED' | 'PENDING', reference: string | null): Promise<void> {
    await tx.db
      .update(refundTenders)
      .set({ status, providerReference: reference })
      .where(and(eq(refundTenders.tenantId, tx.tenantId), eq(refundTenders.refundId, refundId), eq(refundTenders.paymentId, paymentId), eq(refundTenders.status, 'PENDING')));
  },

  async byKey(tx: TxScope, key: string): Promise<Refund | undefined> {
    const [r] = await tx.db.select().from(refunds).where(and(eq(refunds.tenantId, tx.tenantId), eq(refunds.idempotencyKey, key)));
    return r;
  },

  async ofOrders(tx: TxScope, orderIds: readonly string[]): Promise<{ refunds: Refund[]; lines: RefundLine[]; tenders: RefundTender[] }> {
    if (orderIds.length === 0) return { refunds: [], lines: [], tenders: [] };
    const rs = await tx.db
      .select()
      .from(refunds)
      .where(and(eq(refunds.tenantId, tx.tenantId), inArray(refunds.orderId, [...orderIds])))
      .orderBy(asc(refunds.id));
    if (rs.length === 0) return { refunds: [], lines: [], tenders: [] };
    const ids = rs.map((r) => r.id);
    const [lines, tenders] = [
      await tx.db.select().from(refundLines).where(and(eq(refundLines.tenantId, tx.tenantId), inArray(refundLines.refundId, ids))),
      await tx.db.select().from(refundTenders).where(and(eq(refundTenders.tenantId, tx.tenantId), inArray(refundTenders.refundId, ids))),
    ];
    return { refunds: rs, lines, tenders };
  },

  /** Adds to a line's refunded quantity and amount unless that would exceed the line; false when it would. */
  async addToItem(tx: TxScope, orderId: string, itemId: string, quantity: string, amount: bigint): Promise<boolean> {
    const r = await tx.db
      .update(orderItems)
      .set({ refundedQuantity: sql`${orderItems.refundedQuantity} + ${quantity}::numeric`, refundedAmount: sql`${orderItems.refundedAmount} + ${amount}`, updatedAt: sql`now()` })
      .where(
        and(
          eq(orderItems.tenantId, tx.tenantId),
          eq(orderItems.orderId, orderId),
          eq(orderItems.id, itemId),
          sql`${orderItems.refundedQuantity} + ${quantity}::numeric <= ${orderItems.quantity}`,
          sql`${orderItems.refundedAmount} + ${amount} <= ${orderItems.total}`,
        ),
      )
      .returning({ id: orderItems.id });
    return r.length === 1;
  },

  /** Adds to the order's refunded total unless that would exceed what was paid; the new figures, or undefined. */
  async addToOrder(tx: TxScope, orderId: string, amount: bigint): Promise<{ refundedTotal: bigint; paidTotal: bigint; version: number } | undefined> {
    const [o] = await tx.db
      .update(orders)
      .set({
        refundedTotal: sql`${orders.refundedTotal} + ${amount}`,
        paymentStatus: sql`CASE WHEN ${orders.refundedTotal} + ${amount} >= ${orders.paidTotal} THEN 'REFUNDED' ELSE 'PARTIALLY_REFUNDED' END`,
        version: sql`${orders.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(orders.tenantId, tx.tenantId), eq(orders.id, orderId), eq(orders.status, 'COMPLETED'), sql`${orders.refundedTotal} + ${amount} <= ${orders.paidTotal}`))
      .returning({ refundedTotal: orders.refundedTotal, paidTotal: orders.paidTotal, version: orders.version });
    return o;
  },
};
