import { AppError } from '../../platform/errors.js';
import { allocate } from '../../platform/money.js';
import { OrderErrors } from './order.errors.js';
import { cashRounding } from './pricing/index.js';
import type { TenderType } from './sales.schema.js';

/**
 * Tender rules, pure. What a payment applies to the order, the change a cash payment gives back, the cash
 * rounding of the balance a cash payment settles, and how a refund goes back over the original payments.
 */

export interface TenderAsk {
  type: TenderType;
  /** Cash: what was handed over (or with `tendered`, what to apply). Others: what to charge. Minor units > 0. */
  amount: bigint;
  tendered?: bigint | undefined;
}

export interface AppliedTender {
  /** What the payment applies to the order (change excluded). */
  amount: bigint;
  /** Cash only: what was handed over, and what goes back. */
  tendered: bigint | null;
  change: bigint | null;
  /** Cash rounding added to the order's total because this cash payment settles it (0 otherwise). */
  rounding: bigint;
}

/**
 * Applies one tender to a balance due. Only cash may exceed the balance (the difference is change). A cash
 * payment that settles the order pays the balance rounded to the tenant's cash unit (e.g. 100 IDR), and the
 * difference becomes the order's explicit rounding adjustment; one that covers the exact balance but not the
 * rounded one settles the exact balance without rounding; one that does not settle it applies exactly what
 * was handed over.
 */
export function applyTender(t: TenderAsk, balanceDue: bigint, cashUnit: bigint): AppliedTender {
  if (balanceDue <= 0n) throw new AppError(OrderErrors.PAYMENT_ORDER_PAID, { balance_due: Number(balanceDue) });
  if (t.type !== 'CASH') {
    if (t.amount > balanceDue) throw new AppError(OrderErrors.PAYMENT_EXCEEDS_BALANCE, { field: 'amount', balance_due: Number(balanceDue) }, `Only cash may exceed the balance due of ${balanceDue}`);
    return { amount: t.amount, tendered: null, change: null, rounding: 0n };
  }
  const received = t.tendered ?? t.amount;
  if (t.tendered !== undefined && t.tendered < t.amount) throw new AppError(OrderErrors.PAYMENT_TENDERED_TOO_LOW, { field: 'tendered', amount: Number(t.amount) });
  // A balance smaller than half the unit would round to nothing to pay: it is then paid exactly.
  let rounding = cashUnit > 0n ? cashRounding(balanceDue, cashUnit, 'half_up') : 0n;
  if (balanceDue + rounding <= 0n) rounding = 0n;
  const cashDue = balanceDue + rounding;
  const wanted = t.tendered !== undefined ? t.amount : received;
  if (wanted >= cashDue) return { amount: cashDue, tendered: received, change: received - cashDue, rounding };
  // More than the exact balance but short of the rounded cash due: it settles the exact balance, unrounded, and
  // the rest is change (never applied beyond the total).
  if (wanted >= balanceDue) return { amount: balanceDue, tendered: received, change: received - balanceDue, rounding: 0n };
  return { amount: wanted, tendered: received, change: received - wanted, rounding: 0n };
}

export interface RefundablePayment {
  id: string;
  type: TenderType;
  /** What the payment applied, less what was already refunded from it. */
  refundable: bigint;
}

export interface RefundShare {
  paymentId: string;
  type: TenderType;
  amount: bigint;
}

/**
 * Splits a refund over the original payments in proportion to what each can still give back (largest
 * remainder, via allocate: the parts sum to the refund exactly and none exceeds its payment), so cash goes
 * back as cash and card to card. When the cashier names the payments and amounts, they must sum to the
 * refund and each stay within its payment.
 */
export function allocateRefund(amount: bigint, payments: readonly RefundablePayment[], named?: readonly { paymentId: string; amount: bigint }[]): RefundShare[] {
  const available = payments.filter((p) => p.refundable > 0n);
  const total = available.reduce((s, p) => s + p.refundable, 0n);
  if (amount <= 0n) throw new AppError(OrderErrors.REFUND_NOTHING);
  if (amount > total) throw new AppError(OrderErrors.REFUND_EXCEEDS_PAID, { field: 'amount', refundable: Number(total), requested: Number(amount) }, `At most ${total} can still be refunded`);
  if (named) {
    const sum = named.reduce((s, n) => s + n.amount, 0n);
    const fields: { field: string; message: string }[] = [];
    const seen = new Set<string>();
    named.forEach((n, i) => {
      const p = payments.find((x) => x.id === n.paymentId);
      if (!p) fields.push({ field: `tenders.${i}.payment_id`, message: 'not a captured payment of this order' });
      else if (seen.has(p.id)) fields.push({ field: `tenders.${i}.payment_id`, message: 'named twice' });
      else if (n.amount <= 0n) fields.push({ field: `tenders.${i}.amount`, message: 'must be greater than 0' });
      else if (n.amount > p.refundable) fields.push({ field: `tenders.${i}.amount`, message: `at most ${p.refundable} can go back to this payment` });
      seen.add(n.paymentId);
    });
    if (sum !== amount) fields.push({ field: 'tenders', message: `the tenders sum to ${sum}, the refund is ${amount}` });
    if (fields.length) throw new AppError(OrderErrors.REFUND_TENDERS_INVALID, { fields }, `Refund tenders: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`);
    return named.map((n) => ({ paymentId: n.paymentId, type: payments.find((p) => p.id === n.paymentId)!.type, amount: n.amount }));
  }
  const parts = allocate(amount, available.map((p) => p.refundable));
  return available.map((p, i) => ({ paymentId: p.id, type: p.type, amount: parts[i]! })).filter((s) => s.amount > 0n);
}
