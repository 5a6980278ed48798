import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { businessDate, previousDay } from './business-date.js';
import { formatQuantity, isWhole, parseQuantity, quantityFromDb } from './quantity.js';
import { formatReceiptNumber } from './receipt-number.js';
import { allocateRefund, applyTender } from './tender.js';

const code = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return e instanceof AppError ? e.code : String(e);
  }
};

describe('quantities', () => {
  it('parses integers and up to three decimals, exactly', () => {
    expect(formatQuantity(parseQuantity(2)!)).toBe('2');
    expect(formatQuantity(parseQuantity(1.25)!)).toBe('1.25');
    expect(formatQuantity(parseQuantity('0.005')!)).toBe('0.005');
    expect(parseQuantity(1.2345)).toBeUndefined();
    expect(parseQuantity(-1)).toBeUndefined();
    expect(parseQuantity('1e3')).toBeUndefined();
    expect(parseQuantity(Number.NaN)).toBeUndefined();
    expect(isWhole(parseQuantity('3.000')!)).toBe(true);
    expect(formatQuantity(quantityFromDb('1.250'))).toBe('1.25');
    expect(formatQuantity(quantityFromDb('2.000'))).toBe('2');
  });
});

describe('business date', () => {
  it('is the outlet’s local date, moved back before the cut-off', () => {
    // 2024-05-03 19:30 UTC = 2024-05-04 02:30 in Jakarta (UTC+7)
    const at = new Date('2024-05-03T19:30:00Z');
    expect(businessDate(at, 'Asia/Jakarta', 0)).toBe('2024-05-04');
    expect(businessDate(at, 'Asia/Jakarta', 240)).toBe('2024-05-03');
    expect(businessDate(at, 'UTC', 240)).toBe('2024-05-03');
    expect(previousDay('2024-03-01')).toBe('2024-02-29');
  });
});

describe('receipt numbers', () => {
  it('pads to six digits and grows past them', () => {
    expect(formatReceiptNumber('JKT1', 'sale', 123n)).toBe('JKT1-000123');
    expect(formatReceiptNumber('JKT1', 'refund', 7n)).toBe('JKT1-R-000007');
    expect(formatReceiptNumber('JKT1', 'sale', 1234567n)).toBe('JKT1-1234567');
  });
});

describe('tenders', () => {
  it('gives change for cash and refuses overpaying with anything else', () => {
    expect(applyTender({ type: 'CASH', amount: 10_000n }, 7_500n, 0n)).toEqual({ amount: 7_500n, tendered: 10_000n, change: 2_500n, rounding: 0n });
    expect(applyTender({ type: 'CASH', amount: 5_000n }, 7_500n, 0n)).toEqual({ amount: 5_000n, tendered: 5_000n, change: 0n, rounding: 0n });
    expect(applyTender({ type: 'CASH', amount: 5_000n, tendered: 6_000n }, 7_500n, 0n)).toEqual({ amount: 5_000n, tendered: 6_000n, change: 1_000n, rounding: 0n });
    expect(code(() => applyTender({ type: 'CARD', amount: 7_501n }, 7_500n, 0n))).toBe('PAYMENT_EXCEEDS_BALANCE');
    expect(code(() => applyTender({ type: 'CASH', amount: 5_000n, tendered: 4_000n }, 7_500n, 0n))).toBe('PAYMENT_TENDERED_TOO_LOW');
    expect(code(() => applyTender({ type: 'CASH', amount: 1n }, 0n, 0n))).toBe('PAYMENT_ORDER_PAID');
  });

  it('rounds the balance a cash payment settles to the cash unit, as an explicit adjustment', () => {
    // Rp 123.45 due (12_345 minor units), cash unit Rp 100 (10_000): the nearest cash amount is Rp 100.
    expect(applyTender({ type: 'CASH', amount: 20_000n }, 12_345n, 10_000n)).toEqual({ amount: 10_000n, tendered: 20_000n, change: 10_000n, rounding: -2_345n });
    expect(applyTender({ type: 'CASH', amount: 20_000n }, 16_000n, 10_000n)).toEqual({ amount: 20_000n, tendered: 20_000n, change: 0n, rounding: 4_000n });
    // a part payment in cash is taken exactly
    expect(applyTender({ type: 'CASH', amount: 5_000n }, 16_000n, 10_000n)).toEqual({ amount: 5_000n, tendered: 5_000n, change: 0n, rounding: 0n });
    // cash over the exact balance but short of the rounded one settles the exact balance, the rest is change
    expect(applyTender({ type: 'CASH', amount: 16_001n }, 16_000n, 10_000n)).toEqual({ amount: 16_000n, tendered: 16_001n, change: 1n, rounding: 0n });
    expect(applyTender({ type: 'CASH', amount: 16_000n }, 16_000n, 10_000n)).toEqual({ amount: 16_000n, tendered: 16_000n, change: 0n, rounding: 0n });
  });

  it('allocates a refund over the payments exactly, never above what each can give back', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 10_000_000n }), { minLength: 1, maxLength: 5 }), fc.double({ min: 0, max: 1, noNaN: true }), (refundables, f) => {
        const total = refundables.reduce((s, x) => s + x, 0n);
        fc.pre(total > 0n);
        const amount = 1n + BigInt(Math.floor(Number(total - 1n) * f));
        const pays = refundables.map((r, i) => ({ id: `p${i}`, type: i % 2 ? ('CARD' as const) : ('CASH' as const), refundable: r }));
        const shares = allocateRefund(amount, pays);
        expect(shares.reduce((s, x) => s + x.amount, 0n)).toBe(amount);
        for (const sh of shares) expect(sh.amount).toBeLessThanOrEqual(pays.find((p) => p.id === sh.paymentId)!.refundable);
      }),
    );
  });

  it('takes the cashier’s tenders when they add up, and refuses them otherwise', () => {
    const pays = [{ id: 'cash', type: 'CASH' as const, refundable: 3_000n }, { id: 'card', type: 'CARD' as const, refundable: 7_000n }];
    expect(allocateRefund(4_000n, pays, [{ paymentId: 'card', amount: 4_000n }])).toEqual([{ paymentId: 'card', type: 'CARD', amount: 4_000n }]);
    expect(code(() => allocateRefund(4_000n, pays, [{ paymentId: 'cash', amount: 4_000n }]))).toBe('REFUND_TENDERS_INVALID');
    expect(code(() => allocateRefund(4_000n, pays, [{ paymentId: 'card', amount: 3_000n }]))).toBe('REFUND_TENDERS_INVALID');
    expect(code(() => allocateRefund(10_001n, pays))).toBe('REFUND_EXCEEDS_PAID');
    expect(allocateRefund(5_000n, pays)).toEqual([{ paymentId: 'cash', type: 'CASH', amount: 1_500n }, { paymentId: 'card', type: 'CARD', amount: 3_500n }]);
  });
});
