import { requirePermission, withTransaction, type Ctx } from '../../../platform/context.js';
import { bindToDevice } from '../../access/index.js';
import { uniqueViolation } from '../../../platform/db-errors.js';
import { AppError } from '../../../platform/errors.js';
import { hashRequest } from '../../../platform/idempotency.js';
import { uuidv7 } from '../../../platform/ids.js';
import { parseInput } from '../../../platform/validation.js';
import { writeCheckout, type CheckoutItem, type CheckoutPayment } from '../checkout.repository.js';
import { OrderErrors } from '../order.errors.js';
import { orderCompletedPayload } from '../order.events.js';
import { checkoutInput, minorUnits, type CheckoutInput, type CheckoutWire } from '../order.inputs.js';
import { orderRepository } from '../order.repository.js';
import { paymentRepository } from '../payment.repository.js';
import { loadCatalogSnapshot } from '../sale-catalog.repository.js';
import type { Order } from '../sales.schema.js';
import { notifyAfterCommit } from '../../../platform/db.js';
import { OUTBOX_CHANNEL } from '../../../platform/outbox.js';
import { applyTender } from '../tender.js';
import { noPromotions, type PromotionHook, type SaleHookChain } from '../sales-hooks.js';
import { loadGraph, type OrderGraph } from './order-access.js';
import { newItemRow } from './order-lines.js';
import { manualDiscounts, newOrderRow, priceSnapshotPromoted, requireDiscountPermission } from './create-order.js';

/**
 * One-request checkout (what a fast register or kiosk sends): creates the order with its items and tenders and
 * completes it in ONE transaction of four round trips — BEGIN (with the tenant setting), one read of
 * everything the sale needs (loadCatalogSnapshot), one write of everything it produces (writeCheckout),
 * COMMIT. The rules are the interactive flow's own (the same line builder, engine and tender rules), so a
 * checkout and create→add→finalize→pay→complete give the same figures.
 *
 * Tenders that need a provider call or another module's balance are refused here (a provider is never called
 * inside a transaction): use the interactive flow for them. Replays: a client_id or a tender idempotency_key
 * already used returns the order it made.
 */
export async function checkout(ctx: Ctx, input: CheckoutInput, hooks: SaleHookChain, promotions: PromotionHook = noPromotions): Promise<{ graph: OrderGraph; replayed: boolean }> {
  requirePermission(ctx, 'pos:sale:create');
  const i = bindToDevice(ctx.actor, parseInput(checkoutInput, input));
  requireDiscountPermission(ctx, i);
  const tenders = i.tenders.map((t, n) => {
    const type = (t.tender_type ?? t.payment_type)!;
    if (t.provider || type === 'STORE_CREDIT' || type === 'LOYALTY_POINTS') {
      throw new AppError(OrderErrors.PAYMENT_TENDER_UNSUPPORTED, { field: `tenders.${n}.${t.provider ? 'provider' : 'tender_type'}` }, 'Checkout takes cash, card on an external terminal and external tenders; pay through a provider or a balance with AddPayment');
    }
    return { ...t, type };
  });
  try {
    const done = await withTransaction(ctx, async (tx) => {
      const items = i.items;
      const snap = await loadCatalogSnapshot(tx, {
        outletId: i.outlet_id,
        terminalId: i.terminal_id,
        variantIds: items.flatMap((x) => (x.variant_id ? [x.variant_id] : [])),
        productIds: items.flatMap((x) => (!x.variant_id && x.product_id ? [x.product_id] : [])),
        clientId: i.client_id,
      });
      if (snap.existingOrderId) return { graph: await loadGraph(tx, snap.existingOrderId), replayed: true };
      const orderId = uuidv7();
      const r = await priceSnapshotPromoted(tx, snap, i, { hook: promotions, mode: 'checkout', orderId });
      const base = newOrderRow(ctx, i, r, orderId);
      const asked = manualDiscounts(i);
      if (asked.length) await promotions.approveManualDiscounts?.(tx, orderId, asked);
      let total = base.total;
      let paid = 0n;
      let change = 0n;
      let rounding = 0n;
      const now = new Date();
      const payments: CheckoutPayment[] = tenders.map((t, n) => {
        if (t.currency !== undefined && t.currency !== base.currency) throw new AppError(OrderErrors.ORDER_CURRENCY_MISMATCH, { field: `tenders.${n}.currency`, expected: base.currency });
        const a = withField(`tenders.${n}`, () => applyTender({ type: t.type, amount: minorUnits(t.amount), tendered: t.tendered === undefined ? undefined : minorUnits(t.tendered) }, total - paid, snap.tenant.cashRoundingUnit));
        total += a.rounding;
        rounding += a.rounding;
        paid += a.amount;
        change += a.change ?? 0n;
        return {
          id: uuidv7(), orderId: base.id, tenderType: t.type, status: 'CAPTURED', currency: base.currency, amount: a.amount, tendered: a.tendered, change: a.change,
          refundedAmount: 0n, cardBrand: t.card_brand ?? null, cardLast4: t.card_last4 ?? null, cardReference: t.card_reference ?? null, provider: null,
          providerReference: t.reference ?? null, failureReason: null, idempotencyKey: t.idempotency_key ?? `auto:${uuidv7()}`,
          // Only a caller's own key can be retried, so only it needs the hash that tells a retry from a reuse.
          requestHash: t.idempotency_key ? hashRequest('payment', { orderId: base.id, type: t.type, amount: t.amount }) : 'auto', createdBy: base.cashierMembershipId, capturedAt: now,
        };
      });
      if (paid < total) throw new AppError(OrderErrors.ORDER_NOT_FULLY_PAID, { field: 'tenders', total: Number(total), paid_total: Number(paid), balance_due: Number(total - paid) }, `The tenders pay ${paid} of ${total}`);
      const order = { ...base, status: 'COMPLETED' as const, paymentStatus: 'PAID' as const, total, paidTotal: paid, changeTotal: change, roundingAdjustment: base.roundingAdjustment + rounding };
      const lines: CheckoutItem[] = r.built.map((b, n) => newItemRow(order.id, n + 1, b, r.priced.lines[n]!, items[n]!));
      const payload = orderCompletedPayload({ ...order, receiptNumber: null, completedAt: now }, lines, payments);
      const written = await writeCheckout(tx, { order, outletCode: r.outlet.code, items: lines, payments, event: { id: uuidv7(), payload } });
      notifyAfterCommit(tx.db, OUTBOX_CHANNEL);
      const full: Order = {
        ...order, tenantId: tx.tenantId, receiptNumber: written.receiptNumber, receiptSeq: written.receiptSeq, createdAt: written.createdAt, updatedAt: written.createdAt,
        finalizedAt: written.createdAt, completedAt: written.createdAt, voidReason: null, voidedBy: null, voidedAt: null,
      };
      const stamp = { tenantId: tx.tenantId, createdAt: written.createdAt, updatedAt: written.createdAt };
      const graph = { order: full, items: lines.map((l) => ({ ...l, ...stamp })), payments: payments.map((p) => ({ ...p, ...stamp })), refunds: [] };
      if (!hooks.empty) {
        await hooks.run('paymentsCaptured', tx, { order: full, payments: graph.payments });
        await hooks.run('orderCompleted', tx, { order: full, items: graph.items, payments: graph.payments });
      }
      return { graph, replayed: false };
    });
    return done;
  } catch (e) {
    const replay = await replayOf(ctx, i, e);
    if (replay) return { graph: replay, replayed: true };
    throw e;
  }
}

/** A checkout that lost a race to its own replay (same client_id or tender key): the order the winner made. */
async function replayOf(ctx: Ctx, i: CheckoutWire, e: unknown): Promise<OrderGraph | undefined> {
  const constraint = uniqueViolation(e);
  // Inside a caller's transaction (route-level Idempotency-Key) the failed statement aborted it: nothing to read with.
  if (!constraint || 'db' in ctx) return undefined;
  return withTransaction(ctx, async (tx) => {
    if (constraint === 'orders_client_idx' && i.client_id) {
      const o = await orderRepository.byClientId(tx, i.client_id);
      return o ? loadGraph(tx, o.id) : undefined;
    }
    for (const t of i.tenders) {
      if (!t.idempotency_key) continue;
      const p = await paymentRepository.byKey(tx, t.idempotency_key);
      if (p) return loadGraph(tx, p.orderId);
    }
    return undefined;
  });
}

/** Runs a tender rule, prefixing the field it names with the tender's place in the request. */
function withField<T>(prefix: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof AppError && e.details && typeof e.details.field === 'string') {
      throw new AppError({ code: e.code, kind: e.kind, message: e.message }, { ...e.details, field: `${prefix}.${e.details.field}` }, e.message);
    }
    throw e;
  }
}


