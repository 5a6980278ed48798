/**
 * The order lifecycle as data (seed 000, exactly):
 *
 *   DRAFT --finalize--> OPEN --complete--> COMPLETED
 *   DRAFT | OPEN --void(reason)--> VOIDED
 *
 * DRAFT: items are added, changed and removed; nothing is locked. OPEN: prices, taxes, modifiers and
 * discounts are snapshotted; payments are taken. COMPLETED and VOIDED are terminal. Payment status is a
 * separate field that moves with payments and refunds. Guards are pure: they take what they need and return
 * the error code that forbids the move, or undefined.
 */

export const ORDER_STATUSES = ['DRAFT', 'OPEN', 'COMPLETED', 'VOIDED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const PAYMENT_STATUSES = ['UNPAID', 'PARTIALLY_PAID', 'PAID', 'PARTIALLY_REFUNDED', 'REFUNDED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export type Transitions<S extends string> = { readonly [K in S]: readonly S[] };

export const orderTransitions = {
  DRAFT: ['OPEN', 'VOIDED'],
  OPEN: ['COMPLETED', 'VOIDED'],
  COMPLETED: [],
  VOIDED: [],
} as const satisfies Transitions<OrderStatus>;

export type OrderAction = 'finalize' | 'complete' | 'void';

/** The state each action moves to. */
export const actionTarget: Record<OrderAction, OrderStatus> = { finalize: 'OPEN', complete: 'COMPLETED', void: 'VOIDED' };

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return (orderTransitions[from] as readonly OrderStatus[]).includes(to);
}

export type GuardCode =
  | 'ORDER_NOT_DRAFT'
  | 'ORDER_NOT_OPEN'
  | 'ORDER_EMPTY'
  | 'ORDER_NOT_FULLY_PAID'
  | 'ORDER_INVALID_TRANSITION'
  | 'ORDER_HAS_CAPTURED_PAYMENTS'
  | 'ORDER_NOT_COMPLETED';

/** What the guards read of an order. */
export interface GuardView {
  status: OrderStatus;
  itemCount: number;
  /** Minor units the order must be paid. */
  total: bigint;
  /** Minor units captured payments applied (change excluded), less nothing: refunds are separate. */
  paidTotal: bigint;
  /** Minor units of captured payments not yet refunded. */
  capturedUnrefunded: bigint;
}

/** Items may be added, changed or removed, and discounts applied, only while DRAFT. */
export function cannotEditItems(o: Pick<GuardView, 'status'>): GuardCode | undefined {
  return o.status === 'DRAFT' ? undefined : 'ORDER_NOT_DRAFT';
}

export function cannotFinalize(o: Pick<GuardView, 'status' | 'itemCount'>): GuardCode | undefined {
  if (o.status !== 'DRAFT') return canTransition(o.status, 'OPEN') ? undefined : 'ORDER_INVALID_TRANSITION';
  if (o.itemCount === 0) return 'ORDER_EMPTY';
  return undefined;
}

/** Payments are taken on OPEN orders only (a DRAFT has no locked price; a COMPLETED one is paid). */
export function cannotPay(o: Pick<GuardView, 'status'>): GuardCode | undefined {
  return o.status === 'OPEN' ? undefined : 'ORDER_NOT_OPEN';
}

export function cannotComplete(o: Pick<GuardView, 'status' | 'total' | 'paidTotal'>): GuardCode | undefined {
  if (!canTransition(o.status, 'COMPLETED')) return 'ORDER_INVALID_TRANSITION';
  if (o.paidTotal < o.total) return 'ORDER_NOT_FULLY_PAID';
  return undefined;
}

/** A void needs DRAFT or OPEN, and no captured money left on the order (refund it first). */
export function cannotVoid(o: Pick<GuardView, 'status' | 'capturedUnrefunded'>): GuardCode | undefined {
  if (!canTransition(o.status, 'VOIDED')) return 'ORDER_INVALID_TRANSITION';
  if (o.capturedUnrefunded > 0n) return 'ORDER_HAS_CAPTURED_PAYMENTS';
  return undefined;
}

export function cannotRefund(o: Pick<GuardView, 'status'>): GuardCode | undefined {
  return o.status === 'COMPLETED' ? undefined : 'ORDER_NOT_COMPLETED';
}

/**
 * Payment status from the money: nothing paid → UNPAID; some → PARTIALLY_PAID; all → PAID; once refunds
 * exist → PARTIALLY_REFUNDED, or REFUNDED when everything paid went back.
 */
export function paymentStatusOf(m: { total: bigint; paidTotal: bigint; refundedTotal: bigint }): PaymentStatus {
  if (m.refundedTotal > 0n) return m.refundedTotal >= m.paidTotal ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
  if (m.paidTotal <= 0n) return 'UNPAID';
  return m.paidTotal >= m.total ? 'PAID' : 'PARTIALLY_PAID';
}
