import { describe, expect, it } from 'vitest';
import { canTransition, cannotComplete, cannotEditItems, cannotFinalize, cannotPay, cannotRefund, cannotVoid, ORDER_STATUSES, orderTransitions, paymentStatusOf } from './order-state.js';

describe('order state machine', () => {
  it('allows exactly seed 000’s moves: DRAFT→OPEN→COMPLETED, DRAFT|OPEN→VOIDED', () => {
    const allowed = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`));
    expect(allowed.sort()).toEqual(['DRAFT→OPEN', 'DRAFT→VOIDED', 'OPEN→COMPLETED', 'OPEN→VOIDED']);
    expect(orderTransitions.COMPLETED).toEqual([]);
    expect(orderTransitions.VOIDED).toEqual([]);
  });

  it('refuses to finalize an empty order, and anything but a DRAFT', () => {
    expect(cannotFinalize({ status: 'DRAFT', itemCount: 0 })).toBe('ORDER_EMPTY');
    expect(cannotFinalize({ status: 'DRAFT', itemCount: 1 })).toBeUndefined();
    expect(cannotFinalize({ status: 'OPEN', itemCount: 1 })).toBe('ORDER_INVALID_TRANSITION');
    expect(cannotFinalize({ status: 'COMPLETED', itemCount: 1 })).toBe('ORDER_INVALID_TRANSITION');
  });

  it('edits items only in DRAFT and takes payments only when OPEN', () => {
    expect(ORDER_STATUSES.filter((s) => !cannotEditItems({ status: s }))).toEqual(['DRAFT']);
    expect(ORDER_STATUSES.filter((s) => !cannotPay({ status: s }))).toEqual(['OPEN']);
    expect(cannotPay({ status: 'DRAFT' })).toBe('ORDER_NOT_OPEN');
  });

  it('completes only an OPEN order paid in full', () => {
    expect(cannotComplete({ status: 'OPEN', total: 100n, paidTotal: 99n })).toBe('ORDER_NOT_FULLY_PAID');
    expect(cannotComplete({ status: 'OPEN', total: 100n, paidTotal: 100n })).toBeUndefined();
    expect(cannotComplete({ status: 'OPEN', total: 0n, paidTotal: 0n })).toBeUndefined();
    expect(cannotComplete({ status: 'DRAFT', total: 0n, paidTotal: 0n })).toBe('ORDER_INVALID_TRANSITION');
    expect(cannotComplete({ status: 'COMPLETED', total: 1n, paidTotal: 1n })).toBe('ORDER_INVALID_TRANSITION');
  });

  it('voids DRAFT and OPEN orders only when no captured money is left on them', () => {
    expect(cannotVoid({ status: 'OPEN', capturedUnrefunded: 1n })).toBe('ORDER_HAS_CAPTURED_PAYMENTS');
    expect(cannotVoid({ status: 'OPEN', capturedUnrefunded: 0n })).toBeUndefined();
    expect(cannotVoid({ status: 'DRAFT', capturedUnrefunded: 0n })).toBeUndefined();
    expect(cannotVoid({ status: 'COMPLETED', capturedUnrefunded: 0n })).toBe('ORDER_INVALID_TRANSITION');
    expect(cannotVoid({ status: 'VOIDED', capturedUnrefunded: 0n })).toBe('ORDER_INVALID_TRANSITION');
  });

  it('refunds only completed orders', () => {
    expect(ORDER_STATUSES.filter((s) => !cannotRefund({ status: s }))).toEqual(['COMPLETED']);
  });

  it('derives the payment status from the money', () => {
    expect(paymentStatusOf({ total: 100n, paidTotal: 0n, refundedTotal: 0n })).toBe('UNPAID');
    expect(paymentStatusOf({ total: 100n, paidTotal: 40n, refundedTotal: 0n })).toBe('PARTIALLY_PAID');
    expect(paymentStatusOf({ total: 100n, paidTotal: 100n, refundedTotal: 0n })).toBe('PAID');
    expect(paymentStatusOf({ total: 100n, paidTotal: 100n, refundedTotal: 30n })).toBe('PARTIALLY_REFUNDED');
    expect(paymentStatusOf({ total: 100n, paidTotal: 100n, refundedTotal: 100n })).toBe('REFUNDED');
  });
});
