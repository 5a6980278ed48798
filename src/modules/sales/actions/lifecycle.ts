import { sql } from 'drizzle-orm';
import { requirePermission, withTransaction, type Ctx, type TxCtx } from '../../../platform/context.js';
import { AppError } from '../../../platform/errors.js';
import { parseInput } from '../../../platform/validation.js';
import { businessDate } from '../business-date.js';
import { OrderErrors } from '../order.errors.js';
import { recordOrderCompleted, recordOrderVoided } from '../order.events.js';
import { finalizeInput, versionInput, voidInput } from '../order.inputs.js';
import { orderRepository } from '../order.repository.js';
import { cannotComplete, cannotVoid, paymentStatusOf } from '../order-state.js';
import { paymentRepository } from '../payment.repository.js';
import type { PaymentProviders } from '../payment-provider.js';
import { nextReceiptSeqCte, receiptNumberExpr } from '../receipt.repository.js';
import { loadCatalogSnapshot } from '../sale-catalog.repository.js';
import { preparedRows } from '../../../platform/prepared.js';
import type { Order } from '../sales.schema.js';
import { claimOrder, guardError, loadGraph, type OrderGraph } from './order-access.js';
import { actorMembership, priceRequested, requestedFromItems, storedDiscount, writeDraft } from './order-lines.js';
import type { PromotionHook, SaleHookChain } from '../sales-hooks.js';
import { itemsChanged } from './edit-items.js';
import { withPromotions } from './create-order.js';

/**
 * FinalizeOrder: DRAFT → OPEN. Prices every line once more with the catalog as it is now and snapshots
 * names, SKUs, prices, modifiers, taxes and discounts into the lines (later catalog changes never alter the
 * order). An empty order is refused (ORDER_EMPTY).
 */
export async function finalizeOrder(ctx: Ctx, orderId: string, input: unknown, promotions: PromotionHook, hooks: SaleHookChain): Promise<OrderGraph> {
  requirePermission(ctx, 'pos:sale:create');
  const i = parseInput(finalizeInput, input ?? {});
  return withTransaction(ctx, async (tx) => {
    const order = await claimOrder(tx, orderId, ['DRAFT'], i.expected_version, 'ORDER_NOT_DRAFT', { status: 'OPEN', finalizedAt: new Date() });
    const items = await orderRepository.items(tx, orderId);
    if (items.length === 0) throw guardError('ORDER_EMPTY', { id: orderId });
    const snap = await loadCatalogSnapshot(tx, { outletId: order.outletId, variantIds: items.map((x) => x.variantId), productIds: [] });
    const at = new Date();
    const level = { discount: storedDiscount(order.discountType, order.discountValue), tip: order.tipTotal };
    const base = priceRequested(snap, requestedFromItems(items), { outletId: order.outletId, orderType: order.orderType, at }, level);
    // THE PROMOTIONS HOOK: the promotions module adds its discounts to the lines (and reserves coupon uses) here.
    const priced = await withPromotions(tx, promotions, snap, base, {
      mode: 'finalize', orderId, outletId: order.outletId, timeZone: snap.outlet?.timeZone ?? 'UTC', channel: order.channel, orderType: order.orderType,
      customerId: order.customerId, at, couponCodes: i.coupon_codes ?? [],
    }, level);
    return itemsChanged(tx, hooks, await writeDraft(tx, order, items, priced));
  });
}

/**
 * CompleteOrder: OPEN → COMPLETED when paid in full. The receipt number is taken from the outlet's counter in
 * the same statement that moves the state (gap-free: a rollback returns it), and order.completed is
 * recorded with what stock, loyalty and reports need. Two terminals completing at once: the first claim
 * holds the row; the second then finds the order COMPLETED and is refused.
 */
export async function completeOrder(ctx: Ctx, orderId: string, input: unknown, hooks: SaleHookChain): Promise<OrderGraph> {
  requirePermission(ctx, 'pos:sale:create');
  const i = parseInput(versionInput, input ?? {});
  return withTransaction(ctx, async (tx) => {
    const order = await claimOrder(tx, orderId, ['OPEN'], i.expected_version, 'ORDER_INVALID_TRANSITION');
    const refused = cannotComplete(order);
    if (refused) throw guardError(refused, { id: orderId, total: Number(order.total), paid_total: Number(order.paidTotal), balance_due: Number(order.total - order.paidTotal) });
    const [outlet] = await preparedRows<{ code: string; time_zone: string; cutoff: number }>(
      tx,
      'sales_outlet_facts',
      sql`SELECT code, time_zone, business_day_cutoff_minutes AS cutoff FROM outlets WHERE tenant_id = ${tx.tenantId} AND id = ${order.outletId}`,
    );
    const items = await orderRepository.items(tx, orderId);
    const pays = await paymentRepository.ofOrder(tx, orderId);
    const done = await assignReceiptAndComplete(tx, order, outlet!.code, businessDate(new Date(), outlet!.time_zone, outlet!.cutoff));
    await recordOrderCompleted(tx, done, items, pays);
    await hooks.run('orderCompleted', tx, { order: done, items, payments: pays });
    return { order: done, items, payments: pays, refunds: [] };
  });
}

async function assignReceiptAndComplete(tx: TxCtx, order: Order, outletCode: string, day: string): Promise<Order> {
  const [r] = await preparedRows<{ receipt_number: string; receipt_seq: bigint | string; completed_at: Date | string }>(
    tx,
    'sales_complete',
    sql`
      WITH c AS (${nextReceiptSeqCte(tx, order.outletId, 'sale')})
      UPDATE orders SET status = 'COMPLETED', payment_status = 'PAID', receipt_seq = c.last_value,
             receipt_number = ${receiptNumberExpr(outletCode, 'sale', sql`c.last_value`)},
             business_date = ${day}::date, completed_at = now(), updated_at = now()
        FROM c
       WHERE orders.tenant_id = ${tx.tenantId} AND orders.id = ${order.id} AND orders.status = 'OPEN' AND orders.paid_total >= orders.total
      RETURNING orders.receipt_number, orders.receipt_seq, orders.completed_at`,
  );
  if (!r) throw new AppError(OrderErrors.ORDER_CONCURRENT_UPDATE, { id: order.id });
  return { ...order, status: 'COMPLETED', paymentStatus: 'PAID', receiptNumber: r.receipt_number, receiptSeq: BigInt(r.receipt_seq), businessDate: day, completedAt: new Date(r.completed_at) };
}

/**
 * VoidOrder: DRAFT | OPEN → VOIDED with a reason. The claim is the conditional update (status DRAFT or OPEN,
 * row locked, version bumped once); refused, and rolled back, while captured money is on the order.
 */
export async function voidOrder(ctx: Ctx, orderId: string, input: unknown, hooks: SaleHookChain): Promise<OrderGraph> {
  requirePermission(ctx, 'pos:sale:void');
  const i = parseInput(voidInput, input);
  return withTransaction(ctx, async (tx) => {
    const before = await claimOrder(tx, orderId, ['DRAFT', 'OPEN'], i.expected_version, 'ORDER_INVALID_TRANSITION');
    const voidedBy = actorMembership(ctx.actor);
    const pays = await paymentRepository.ofOrder(tx, orderId);
    const captured = pays.filter((p) => p.status === 'CAPTURED' || p.status === 'AUTHORIZED' || p.status === 'PENDING').reduce((s, p) => s + p.amount - p.refundedAmount, 0n);
    const refused = cannotVoid({ status: before.status, capturedUnrefunded: captured });
    if (refused) throw guardError(refused, { id: orderId, captured: Number(captured) });
    const moved = await orderRepository.update(tx, orderId, { status: 'VOIDED', voidReason: i.reason, voidedBy, voidedAt: new Date() });
    await recordOrderVoided(tx, { ...moved, previousStatus: before.status, voidedBy });
    if (!hooks.empty) await hooks.run('orderVoided', tx, { order: moved, previousStatus: before.status, items: await orderRepository.items(tx, orderId) });
    return loadGraph(tx, orderId);
  });
}

/**
 * Takes a captured payment off an OPEN order (cash handed back, a card charge voided at its provider after
 * commit): how money leaves an order that has not completed, so that it can be voided.
 */
export async function voidPayment(ctx: Ctx, orderId: string, paymentId: string, input: unknown, providers: PaymentProviders, hooks: SaleHookChain): Promise<OrderGraph> {
  requirePermission(ctx, 'pos:sale:void');
  const i = parseInput(versionInput, input ?? {});
  const { graph, reference, provider } = await withTransaction(ctx, async (tx) => {
    const order = await claimOrder(tx, orderId, ['OPEN'], i.expected_version, 'ORDER_NOT_OPEN');
    const p = await paymentRepository.byId(tx, paymentId);
    if (!p || p.orderId !== orderId) throw new AppError(OrderErrors.PAYMENT_NOT_FOUND, { id: paymentId });
    const voided = await paymentRepository.settle(tx, paymentId, 'CAPTURED', { status: 'VOIDED' });
    if (!voided) throw new AppError(OrderErrors.ORDER_INVALID_TRANSITION, { payment_id: paymentId, status: p.status }, `Only a captured payment can be voided; this one is ${p.status}`);
    const paidTotal = order.paidTotal - p.amount;
    const total = order.total - (isSettlingRounding(order, p) ? order.roundingAdjustment : 0n);
    await orderRepository.update(tx, orderId, {
      paidTotal,
      changeTotal: order.changeTotal - (p.change ?? 0n),
      ...(total !== order.total ? { total, roundingAdjustment: 0n } : {}),
      paymentStatus: paymentStatusOf({ total, paidTotal, refundedTotal: order.refundedTotal }),
    });
    const graph = await loadGraph(tx, orderId);
    await hooks.run('paymentVoided', tx, { order: graph.order, payment: { ...p, status: 'VOIDED' } });
    return { graph, reference: p.providerReference, provider: p.provider };
  });
  if (provider && reference) {
    const prov = providers.get(provider);
    await prov?.void(reference, { paymentId, orderId, amount: 0n, currency: graph.order.currency, idempotencyKey: `void:${paymentId}`, tenantId: ctx.tenantId }).catch(() => undefined);
  }
  return graph;
}

/** A settling cash payment added the order's cash rounding; taking it back takes the rounding back too. */
const isSettlingRounding = (o: Order, p: { tenderType: string }) => p.tenderType === 'CASH' && o.roundingAdjustment !== 0n && o.paidTotal >= o.total;
