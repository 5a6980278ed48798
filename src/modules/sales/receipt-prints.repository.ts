import { and, eq, sql } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { memberships } from '../access/index.js';
import { outletRepository, tenantRepository } from '../tenancy/index.js';
import type { ReceiptParty } from './receipt.js';
import { refunds } from './sales.schema.js';

export type ReceiptDocument = 'order' | 'refund';

/** SQL for receipts: the print counter (db/migrations/0008_receipts.sql) and who and where a receipt is from. */
export const receiptPrintsRepository = {
  /** Counts this fetch and returns its number: 1 for the original, 2+ for copies. The row lock orders concurrent fetches. */
  async recordPrint(tx: TxScope, kind: ReceiptDocument, documentId: string): Promise<number> {
    const [r] = rowsOf<{ print_count: number }>(
      await tx.db.execute(sql`
        INSERT INTO receipt_prints (tenant_id, document_kind, document_id, print_count) VALUES (${tx.tenantId}, ${kind}, ${documentId}, 1)
        ON CONFLICT (tenant_id, document_kind, document_id) DO UPDATE SET print_count = receipt_prints.print_count + 1, last_printed_at = now()
        RETURNING print_count`),
    );
    return Number(r!.print_count);
  },

  /** The order a refund belongs to (tenant-scoped), or undefined. */
  async refundOrderId(tx: TxScope, refundId: string): Promise<string | undefined> {
    const [r] = await tx.db.select({ orderId: refunds.orderId }).from(refunds).where(and(eq(refunds.tenantId, tx.tenantId), eq(refunds.id, refundId)));
    return r?.orderId;
  },

  /** The tenant's name and receipt texts, the outlet's address and time zone, and the cashier's display name. */
  async party(tx: TxScope, outletId: string, cashierMembershipId: string | null): Promise<Omit<ReceiptParty, 'printNumber'> | undefined> {
    // One after the other: a transaction's handle runs one statement at a time anyway (PGlite deadlocks otherwise).
    const tenant = await tenantRepository.byId(tx.db, tx.tenantId);
    const outlet = await outletRepository.byId(tx, outletId);
    const cashier = cashierMembershipId
      ? await tx.db.select({ name: memberships.displayName }).from(memberships).where(and(eq(memberships.tenantId, tx.tenantId), eq(memberships.id, cashierMembershipId)))
      : [];
    if (!tenant || !outlet) return undefined;
    return { tenant, outlet, cashier: cashier[0]?.name ?? null };
  },
};
