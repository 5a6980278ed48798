import { z } from 'zod';
import { requirePermission, withTransaction, type Ctx } from '../../../platform/context.js';
import { AppError } from '../../../platform/errors.js';
import { parseInput, uuidField } from '../../../platform/validation.js';
import { OrderErrors } from '../order.errors.js';
import { buildSaleReceipt, type Receipt } from '../receipt.js';
import { ReceiptErrors } from '../receipt.errors.js';
import { receiptPrintsRepository, type ReceiptDocument } from '../receipt-prints.repository.js';
import { buildRefundReceipt } from '../receipt-refund.js';
import { RECEIPT_FORMATS, renderReceipt, type RenderedReceipt } from '../receipt-render.js';
import { loadGraph } from './order-access.js';

export const receiptQuery = z.strictObject({
  format: z.enum(RECEIPT_FORMATS).default('json'),
  width: z.coerce.number().int().refine((w) => w === 32 || w === 48, 'must be 32 or 48').default(32),
  copy: z.enum(['auto', 'true']).default('auto').describe('auto: the first fetch is the original, every later one a COPY; true: mark this one COPY too'),
});
export type ReceiptQuery = z.input<typeof receiptQuery>;

/**
 * GetReceipt: the receipt of a COMPLETED order (or a VOIDED one, marked VOID), or of one of its refunds.
 * Every fetch is counted in the same transaction that reads the order, so exactly one fetch is the original
 * and all later ones are marked COPY with their print number.
 */
export async function getReceipt(ctx: Ctx, kind: ReceiptDocument, id: string, query: ReceiptQuery = {}): Promise<RenderedReceipt> {
  requirePermission(ctx, kind === 'order' ? 'pos:sale:read' : 'pos:refund:read');
  const docId = parseInput(z.object({ id: uuidField() }), { id }).id;
  const q = parseInput(receiptQuery, query);
  return renderReceipt(await buildReceipt(ctx, kind, docId, q.copy), q.format, q.width);
}

async function buildReceipt(ctx: Ctx, kind: ReceiptDocument, docId: string, copy: 'auto' | 'true'): Promise<Receipt> {
  return withTransaction(ctx, async (tx) => {
    let orderId = docId;
    if (kind === 'refund') {
      const owner = await receiptPrintsRepository.refundOrderId(tx, docId);
      if (!owner) throw new AppError(ReceiptErrors.REFUND_NOT_FOUND, { id: docId });
      orderId = owner;
    }
    const g = await loadGraph(tx, orderId);
    if (g.order.status !== 'COMPLETED' && g.order.status !== 'VOIDED') {
      throw new AppError(ReceiptErrors.RECEIPT_NOT_AVAILABLE, { id: g.order.id, status: g.order.status });
    }
    const party = await receiptPrintsRepository.party(tx, g.order.outletId, g.order.cashierMembershipId);
    if (!party) throw new AppError(OrderErrors.ORDER_NOT_FOUND, { id: orderId });
    const printNumber = await receiptPrintsRepository.recordPrint(tx, kind, docId);
    const p = { ...party, printNumber, forceCopy: copy === 'true' };
    if (kind === 'order') return buildSaleReceipt(g, p);
    return buildRefundReceipt(g, g.refunds.find((r) => r.id === docId)!, p);
  });
}
