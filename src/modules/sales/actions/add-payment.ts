import { requirePermission, withTransaction, type Ctx, type TxCtx } from '../../../platform/context.js';
import { AppError } from '../../../platform/errors.js';
import { hashRequest } from '../../../platform/idempotency.js';
import { uuidv7 } from '../../../platform/ids.js';
import { parseInput } from '../../../platform/validation.js';
import { sql } from 'drizzle-orm';
import { OrderErrors } from '../order.errors.js';
import { addPaymentInput, minorUnits, type AddPaymentWire } from '../order.inputs.js';
import { orderRepository } from '../order.repository.js';
import { paymentStatusOf } from '../order-state.js';
import { paymentRepository, type NewPayment } from '../payment.repository.js';
import type { SaleHookChain } from '../sales-hooks.js';
import type { PaymentProviders, ProviderCharge, ProviderOutcome, TenderHook } from '../payment-provider.js';
import type { Order, Payment, TenderType } from '../sales.schema.js';
import { preparedRows } from '../../../platform/prepared.js';
import { applyTender } from '../tender.js';
import { claimOrder, loadGraph, type OrderGraph } from './order-access.js';
import { actorMembership } from './order-lines.js';

export interface PaymentDeps {
  providers: PaymentProviders;
  tenderHooks: Partial<Record<'STORE_CREDIT' | 'LOYALTY_POINTS', TenderHook>>;
  hooks: SaleHookChain;
}

export interface PaymentResult {
  graph: OrderGraph;
  payment: Payment;
  replayed: boolean;
}

/** The payment's own idempotency: what makes a retry the same payment. */
const paymentHash = (orderId: string, i: AddPaymentWire, type: TenderType) =>
  hashRequest('payment', { orderId, type, amount: i.amount, tendered: i.tendered, card: [i.card_brand, i.card_last4, i.card_reference], provider: i.provider, reference: i.reference });

class Replay extends Error {}

/** The tenant's cash rounding unit (minor units; 0 = none). */
async function cashRoundingUnit(tx: TxCtx): Promise<bigint> {
  const [r] = await preparedRows<{ unit: bigint | string }>(tx, 'tenant_cash_unit', sql`SELECT cash_rounding_unit AS unit FROM tenants WHERE id = ${tx.tenantId}`);
  return BigInt(r!.unit);
}

/**
 * AddPayment on an OPEN order. Cash: what was handed over, change computed, the settling cash payment rounded
 * to the tenant's cash unit. Card on an external terminal and EXTERNAL: recorded captured with their
 * reference. A tender naming a provider is charged through it outside any transaction (see PaymentProvider).
 * Each payment has its own idempotency key: a retry returns the first payment and charges nothing.
 */
export async function addPayment(ctx: Ctx, orderId: string, input: unknown, deps: PaymentDeps): Promise<PaymentResult> {
  requirePermission(ctx, 'pos:sale:create');
  const i = parseInput(addPaymentInput, input);
  const type = (i.tender_type ?? i.payment_type)!;
  const key = i.idempotency_key ?? `auto:${uuidv7()}`;
  const hash = paymentHash(orderId, i, type);
  if (i.provider) return providerPayment(ctx, orderId, i, type, key, hash, deps);
  if ((type === 'STORE_CREDIT' || type === 'LOYALTY_POINTS') && !deps.tenderHooks[type]) {
    throw new AppError(OrderErrors.PAYMENT_TENDER_UNSUPPORTED, { field: 'tender_type', tender_type: type }, `${type} payments need the customer module, which is not installed yet`);
  }
  try {
    return await withTransaction(ctx, async (tx) => {
      const existing = await paymentRepository.byKey(tx, key);
      if (existing) return replay(tx, existing, orderId, hash);
      const order = await claimOrder(tx, orderId, ['OPEN'], i.expected_version, 'ORDER_NOT_OPEN');
      if (i.currency !== undefined && i.currency !== order.currency) throw new AppError(OrderErrors.ORDER_CURRENCY_MISMATCH, { field: 'currency', expected: order.currency });
      const cashUnit = type === 'CASH' ? await cashRoundingUnit(tx) : 0n;
      const applied = applyTender({ type, amount: minorUnits(i.amount), tendered: i.tendered === undefined ? undefined : minorUnits(i.tendered) }, order.total - order.paidTotal, cashUnit);
      const row: NewPayment = {
        id: uuidv7(),
        orderId,
        tenderType: type,
        status: 'CAPTURED',
        currency: order.currency,
        amount: applied.amount,
        tendered: applied.tendered,
        change: applied.change,
        cardBrand: i.card_brand ?? null,
        cardLast4: i.card_last4 ?? null,
        cardReference: i.card_reference ?? null,
        providerReference: i.reference ?? null,
        idempotencyKey: key,
        requestHash: hash,
        createdBy: actorMembership(ctx.actor),
        capturedAt: new Date(),
      };
      const payment = await paymentRepository.insertUnlessKeyTaken(tx, row);
      if (!payment) throw new Replay(); // the same key committed meanwhile: answer with that payment
      const hook = type === 'STORE_CREDIT' || type === 'LOYALTY_POINTS' ? deps.tenderHooks[type] : undefined;
      await hook?.debit(tx, { orderId, customerId: order.customerId, paymentId: payment.id, amount: payment.amount, currency: order.currency });
      const updated = await applyToOrder(tx, order, payment.amount, applied.change ?? 0n, applied.rounding);
      await deps.hooks.run('paymentsCaptured', tx, { order: updated, payments: [payment] });
      // An OPEN order has no refunds; its items and payments are all the response needs besides the order.
      return { graph: { order: updated, items: await orderRepository.items(tx, orderId), payments: await paymentRepository.ofOrder(tx, orderId), refunds: [] }, payment, replayed: false };
    });
  } catch (e) {
    if (!(e instanceof Replay)) throw e;
    return withTransaction(ctx, async (tx) => replay(tx, (await paymentRepository.byKey(tx, key))!, orderId, hash));
  }
}

async function replay(tx: TxCtx, p: Payment, orderId: string, hash: string): Promise<PaymentResult> {
  if (p.orderId !== orderId || p.requestHash !== hash) throw new AppError(OrderErrors.PAYMENT_KEY_REUSED, { field: 'idempotency_key', payment_id: p.id });
  return { graph: await loadGraph(tx, orderId), payment: p, replayed: true };
}

/** Adds a captured payment to the order's money (the caller has claimed the order). */
async function applyToOrder(tx: TxCtx, order: Order, amount: bigint, change: bigint, rounding: bigint): Promise<Order> {
  const total = order.total + rounding;
  const paidTotal = order.paidTotal + amount;
  return orderRepository.addPayment(tx, order.id, {
    paidTotal,
    changeTotal: order.changeTotal + change,
    roundingAdjustment: order.roundingAdjustment + rounding,
    total,
    paymentStatus: paymentStatusOf({ total, paidTotal, refundedTotal: order.refundedTotal }),
  });
}

/**
 * A provider payment in three steps, never holding a transaction across the provider call:
 * 1. record it PENDING (the key reserves it; the order must be OPEN with that much due) and commit;
 * 2. ask the provider to authorize and capture (or, resuming a PENDING one, for its status);
 * 3. record the answer: CAPTURED adds to the order; a decline is FAILED (a normal outcome the till shows);
 *    if the order stopped being OPEN meanwhile, the charge is voided at the provider.
 */
async function providerPayment(ctx: Ctx, orderId: string, i: AddPaymentWire, type: TenderType, key: string, hash: string, deps: PaymentDeps): Promise<PaymentResult> {
  const provider = deps.providers.get(i.provider!);
  if (!provider) throw new AppError(OrderErrors.PAYMENT_TENDER_UNSUPPORTED, { field: 'provider', provider: i.provider }, `No payment provider named ${i.provider} is configured`);
  if (type === 'CASH') throw new AppError(OrderErrors.PAYMENT_TENDER_UNSUPPORTED, { field: 'provider' }, 'Cash is not charged through a provider');
  if ('db' in ctx) {
    // The caller holds a transaction (e.g. a route-level Idempotency-Key): a provider call must not run inside it.
    throw new AppError(OrderErrors.PAYMENT_TENDER_UNSUPPORTED, { field: 'idempotency_key' }, 'Provider payments take their idempotency key in the body (idempotency_key), not in the Idempotency-Key header');
  }
  const pending = await withTransaction(ctx, async (tx) => {
    const existing = await paymentRepository.byKey(tx, key);
    if (existing) {
      if (existing.orderId !== orderId || existing.requestHash !== hash) throw new AppError(OrderErrors.PAYMENT_KEY_REUSED, { field: 'idempotency_key', payment_id: existing.id });
      return existing;
    }
    const order = await claimOrder(tx, orderId, ['OPEN'], i.expected_version, 'ORDER_NOT_OPEN');
    const amount = minorUnits(i.amount);
    if (amount > order.total - order.paidTotal) throw new AppError(OrderErrors.PAYMENT_EXCEEDS_BALANCE, { field: 'amount', balance_due: Number(order.total - order.paidTotal) });
    return paymentRepository.insert(tx, {
      id: uuidv7(), orderId, tenderType: type, status: 'PENDING', currency: order.currency, amount, provider: provider.name,
      idempotencyKey: key, requestHash: hash, createdBy: actorMembership(ctx.actor),
    });
  });
  if (pending.status !== 'PENDING') return withTransaction(ctx, async (tx) => ({ graph: await loadGraph(tx, orderId), payment: pending, replayed: true }));
  const charge: ProviderCharge = { paymentId: pending.id, orderId, amount: pending.amount, currency: pending.currency, idempotencyKey: key, tenantId: ctx.tenantId };
  let outcome: ProviderOutcome;
  try {
    outcome = pending.providerReference ? await provider.status(pending.providerReference, charge) : await provider.authorize(charge);
    if (outcome.status === 'authorized') outcome = await provider.capture(outcome.reference, pending.amount, charge);
  } catch {
    throw new AppError(OrderErrors.PAYMENT_PROVIDER_UNAVAILABLE, { payment_id: pending.id, idempotency_key: key });
  }
  const settled = await withTransaction(ctx, async (tx) => {
    if (outcome.status !== 'captured') {
      const failed = outcome.status === 'declined' || outcome.status === 'failed' || outcome.status === 'voided';
      if (!failed) return { payment: pending, voidAt: undefined };
      const p = await paymentRepository.settle(tx, pending.id, 'PENDING', { status: 'FAILED', failureReason: 'reason' in outcome ? outcome.reason : outcome.status, providerReference: outcome.reference ?? null });
      return { payment: p ?? (await paymentRepository.byId(tx, pending.id))!, voidAt: undefined };
    }
    const order = await orderRepository.claim(tx, orderId, ['OPEN'], undefined);
    if (!order || pending.amount > order.total - order.paidTotal) {
      const p = await paymentRepository.settle(tx, pending.id, 'PENDING', { status: 'VOIDED', providerReference: outcome.reference, failureReason: 'the order was no longer open or due this much' });
      return { payment: p ?? (await paymentRepository.byId(tx, pending.id))!, voidAt: outcome.reference };
    }
    const p = await paymentRepository.settle(tx, pending.id, 'PENDING', { status: 'CAPTURED', providerReference: outcome.reference, cardBrand: outcome.cardBrand ?? null, cardLast4: outcome.cardLast4 ?? null, capturedAt: new Date() });
    if (p) await deps.hooks.run('paymentsCaptured', tx, { order: await applyToOrder(tx, order, p.amount, 0n, 0n), payments: [p] });
    return { payment: p ?? (await paymentRepository.byId(tx, pending.id))!, voidAt: undefined };
  });
  if (settled.voidAt) await provider.void(settled.voidAt, charge).catch(() => undefined); // compensation; the provider's own expiry is the backstop
  return withTransaction(ctx, async (tx) => ({ graph: await loadGraph(tx, orderId), payment: settled.payment, replayed: false }));
}
