import { requirePermission, withTransaction, type Ctx } from '../../../platform/context.js';
import { bindToDevice } from '../../access/index.js';
import { AppError } from '../../../platform/errors.js';
import { uuidv7 } from '../../../platform/ids.js';
import { parseInput } from '../../../platform/validation.js';
import { outletRepository } from '../../tenancy/index.js';
import { businessDate } from '../business-date.js';
import { OrderErrors } from '../order.errors.js';
import { recordOrderRefunded } from '../order.events.js';
import { minorUnits, refundInput, toQuantity } from '../order.inputs.js';
import { pricedLineFrom, toPricingQuantity } from '../order-pricing.js';
import { cannotRefund } from '../order-state.js';
import { orderRepository } from '../order.repository.js';
import { paymentRepository } from '../payment.repository.js';
import { proportionalRefund, type PricedLine } from '../pricing/index.js';
import { compareQuantity, formatQuantity, isPositive, quantityFromDb, subQuantity, type Quantity } from '../quantity.js';
import { refundRepository } from '../refund.repository.js';
import type { OrderItem, Payment, Refund } from '../sales.schema.js';
import type { PaymentDeps } from './add-payment.js';
import type { RefundFacts } from '../sales-hooks.js';
import { allocateRefund, type RefundShare } from '../tender.js';
import { guardError, loadGraph, type OrderGraph } from './order-access.js';
import { actorMembership } from './order-lines.js';

interface LinePlan {
  item: OrderItem;
  quantity: Quantity;
  amount: bigint;
  tax: bigint;
  restock: boolean;
}

const exceeds = (details: Record<string, unknown>, message: string) => new AppError(OrderErrors.REFUND_EXCEEDS_PAID, details, message);

/** What each requested line gives back: the engine's proportional share of the line, given what went before. */
function planLines(items: OrderItem[], pricing: Record<string, unknown> | null, asked: NonNullable<ReturnType<typeof refundInput.parse>['items']>): LinePlan[] {
  const priced = new Map<string, PricedLine>(((pricing?.lines as Record<string, unknown>[] | undefined) ?? []).map((l) => [l.key as string, pricedLineFrom(l)]));
  const seen = new Set<string>();
  return asked.map((a, n) => {
    const item = items.find((x) => x.id === a.item_id);
    if (!item) throw new AppError(OrderErrors.ORDER_ITEM_NOT_FOUND, { field: `items.${n}.item_id`, id: a.item_id });
    if (seen.has(item.id)) throw new AppError(OrderErrors.REFUND_TENDERS_INVALID, { field: `items.${n}.item_id` }, 'A line may appear once per refund');
    seen.add(item.id);
    const done = quantityFromDb(item.refundedQuantity);
    const left = subQuantity(quantityFromDb(item.quantity), done);
    const quantity = a.quantity === undefined ? left : toQuantity(a.quantity);
    if (!isPositive(quantity)) throw exceeds({ field: `items.${n}.quantity`, refundable_quantity: formatQuantity(left) }, `Nothing of ${item.name} is left to refund`);
    if (compareQuantity(quantity, left) > 0) throw exceeds({ field: `items.${n}.quantity`, refundable_quantity: formatQuantity(left) }, `At most ${formatQuantity(left)} of ${item.name} can still be refunded`);
    const line = priced.get(item.id);
    if (!line) throw new Error(`order ${item.orderId} has no priced line ${item.id}`);
    const r = proportionalRefund(line, toPricingQuantity(quantity), toPricingQuantity(done));
    return { item, quantity, amount: r.total, tax: r.inclusiveTax + r.exclusiveTax, restock: a.restock ?? false };
  });
}

/**
 * RefundOrder on a COMPLETED order: by items and quantities (each line's share from the engine) or by amount;
 * several partial refunds allowed, never more than paid per line and in total (guarded updates, so
 * concurrent refunds cannot pass the limits together). The money goes back over the original payments
 * (allocateRefund) unless the cashier names them; a refund that returns the last of every line also returns
 * what no line carries (tip, service charge, cash rounding). Numbered in the outlet's refund series.
 */
export async function refundOrder(ctx: Ctx, orderId: string, input: unknown, deps: PaymentDeps): Promise<{ graph: OrderGraph; refund: Refund; replayed: boolean }> {
  requirePermission(ctx, 'pos:refund:create');
  const i = bindToDevice(ctx.actor, parseInput(refundInput, input), { outlet: false });
  const result = await withTransaction(ctx, async (tx) => {
    if (i.idempotency_key) {
      const prior = await refundRepository.byKey(tx, i.idempotency_key);
      if (prior) {
        if (prior.orderId !== orderId) throw new AppError(OrderErrors.PAYMENT_KEY_REUSED, { field: 'idempotency_key' });
        return { graph: await loadGraph(tx, orderId), refund: prior, replayed: true };
      }
    }
    const order = await orderRepository.byId(tx, orderId);
    if (!order) throw new AppError(OrderErrors.ORDER_NOT_FOUND, { id: orderId });
    const refused = cannotRefund(order);
    if (refused) throw guardError(refused, { id: orderId, status: order.status });
    const items = await orderRepository.items(tx, orderId);
    const plans = i.items ? planLines(items, order.pricing, i.items) : [];
    let amount = i.items ? plans.reduce((s, p) => s + p.amount, 0n) : minorUnits(i.amount ?? '0');
    if (!i.items && i.amount === undefined) amount = order.paidTotal - order.refundedTotal; // neither: refund everything left
    const lastOfEverything = items.every((it) => {
      const p = plans.find((x) => x.item.id === it.id);
      return compareQuantity(quantityFromDb(it.refundedQuantity), quantityFromDb(it.quantity)) === 0 || (p && compareQuantity(subQuantity(quantityFromDb(it.quantity), quantityFromDb(it.refundedQuantity)), p.quantity) === 0);
    });
    if (i.items && lastOfEverything) amount += order.paidTotal - order.refundedTotal - amount > 0n ? order.paidTotal - order.refundedTotal - amount : 0n;
    if (amount > order.paidTotal - order.refundedTotal) throw exceeds({ field: i.items ? 'items' : 'amount', refundable: Number(order.paidTotal - order.refundedTotal) }, `At most ${order.paidTotal - order.refundedTotal} can still be refunded`);
    const pays = (await paymentRepository.ofOrder(tx, orderId)).filter((p) => p.status === 'CAPTURED');
    const shares = allocateRefund(
      amount,
      pays.map((p) => ({ id: p.id, type: p.tenderType, refundable: p.amount - p.refundedAmount })),
      i.tenders?.map((t) => ({ paymentId: t.payment_id, amount: minorUnits(t.amount) })),
    );
    const outlet = (await outletRepository.byId(tx, order.outletId))!;
    const refund = await refundRepository.insert(tx, {
      id: uuidv7(), orderId, outletId: order.outletId, outletCode: outlet.code, kind: i.items ? 'items' : i.amount !== undefined ? 'amount' : 'full', currency: order.currency, amount, reason: i.reason,
      businessDate: businessDate(new Date(), outlet.timeZone, outlet.businessDayCutoffMinutes), idempotencyKey: i.idempotency_key ?? null, createdBy: actorMembership(ctx.actor),
    });
    for (const [n, p] of plans.entries()) {
      if (!(await refundRepository.addToItem(tx, orderId, p.item.id, formatQuantity(p.quantity), p.amount))) throw exceeds({ field: `items.${n}.quantity` }, `${p.item.name} was refunded meanwhile; nothing was refunded`);
    }
    if (!(await refundRepository.addToOrder(tx, orderId, amount))) throw exceeds({ field: 'amount' }, 'The order was refunded meanwhile; nothing was refunded');
    for (const s of shares) {
      if (!(await paymentRepository.addRefunded(tx, s.paymentId, s.amount))) throw exceeds({ field: 'tenders', payment_id: s.paymentId }, 'A payment was refunded meanwhile; nothing was refunded');
    }
    await refundRepository.insertLines(tx, plans.map((p) => ({ refundId: refund.id, orderId, orderItemId: p.item.id, quantity: formatQuantity(p.quantity), amount: p.amount, taxAmount: p.tax, restock: p.restock })));
    // Money held by a provider goes back through it after commit (PENDING until it answers); balances owned by
    // other modules (store credit, points) are credited here, in the refund's transaction.
    const viaProvider = new Map(pays.filter((p) => p.provider && p.providerReference).map((p) => [p.id, p]));
    for (const sh of shares) {
      const hook = sh.type === 'STORE_CREDIT' || sh.type === 'LOYALTY_POINTS' ? deps.tenderHooks[sh.type] : undefined;
      await hook?.credit(tx, { orderId, customerId: order.customerId, paymentId: sh.paymentId, refundId: refund.id, amount: sh.amount, currency: order.currency });
    }
    await refundRepository.insertTenders(tx, shares.map((s) => ({ refundId: refund.id, paymentId: s.paymentId, tenderType: s.type, amount: s.amount, status: viaProvider.has(s.paymentId) ? 'PENDING' : 'SUCCEEDED', providerReference: null })));
    const facts: RefundFacts = {
      refundId: refund.id, orderId, outletId: order.outletId, receiptNumber: refund.receiptNumber, orderReceiptNumber: order.receiptNumber, customerId: order.customerId,
      currency: order.currency, amount, reason: i.reason, businessDate: refund.businessDate, terminalId: i.terminal_id ?? null,
      lines: plans.map((p) => ({ itemId: p.item.id, variantId: p.item.variantId, productId: p.item.productId, quantity: formatQuantity(p.quantity), amount: p.amount, restock: p.restock, trackStock: p.item.trackStock })),
      tenders: shares.map((s) => ({ paymentId: s.paymentId, tenderType: s.type, amount: s.amount })),
    };
    await recordOrderRefunded(tx, facts);
    await deps.hooks.run('orderRefunded', tx, facts);
    const toProviders = shares.filter((sh) => viaProvider.has(sh.paymentId)).map((sh) => ({ share: sh, payment: viaProvider.get(sh.paymentId)! }));
    return { graph: await loadGraph(tx, orderId), refund, replayed: false, toProviders };
  });
  if (result.toProviders?.length && !('db' in ctx)) return { ...(await refundThroughProviders(ctx, orderId, result.refund, result.toProviders, deps)), replayed: false };
  return { graph: result.graph, refund: result.refund, replayed: result.replayed };
}

/**
 * Sends each provider-held share back through its provider, outside any transaction, and records the answer
 * on the refund tender. A provider that cannot be reached leaves the tender PENDING (retried by the payments
 * work's reconciliation); the refund itself stands: the goods and the money owed are already recorded.
 */
async function refundThroughProviders(ctx: Ctx, orderId: string, refund: Refund, list: { share: RefundShare; payment: Payment }[], deps: PaymentDeps) {
  const answers: { paymentId: string; status: 'SUCCEEDED' | 'FAILED' | 'PENDING'; reference: string | null }[] = [];
  for (const { share, payment } of list) {
    const provider = deps.providers.get(payment.provider!);
    const charge = { paymentId: payment.id, orderId, amount: payment.amount, currency: payment.currency, idempotencyKey: payment.idempotencyKey, tenantId: ctx.tenantId };
    const outcome = await provider?.refund(payment.providerReference!, share.amount, `refund:${refund.id}:${payment.id}`, charge).catch(() => undefined);
    const status = !outcome || outcome.status === 'pending' ? 'PENDING' : outcome.status === 'refunded' ? 'SUCCEEDED' : 'FAILED';
    answers.push({ paymentId: payment.id, status, reference: outcome?.reference ?? null });
  }
  return withTransaction(ctx, async (tx) => {
    for (const a of answers) await refundRepository.settleTender(tx, refund.id, a.paymentId, a.status, a.reference);
    return { graph: await loadGraph(tx, orderId), refund };
  });
}
