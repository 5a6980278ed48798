/**
 * Receipt numbers: `<outlet code>-<sequence>` for sales (JKT1-000123) and `<outlet code>-R-<sequence>` for
 * refunds, six digits at least (more once an outlet passes 999,999). The sequence comes from
 * receipt_counters, per outlet and series, incremented inside the completing transaction: gap-free.
 */
export type ReceiptSeries = 'sale' | 'refund';

export const RECEIPT_DIGITS = 6;

export function formatReceiptNumber(outletCode: string, series: ReceiptSeries, seq: bigint): string {
  const n = seq.toString().padStart(RECEIPT_DIGITS, '0');
  return series === 'sale' ? `${outletCode}-${n}` : `${outletCode}-R-${n}`;
}

/** The series' infix in SQL statements that number and write in one go (receipt.repository.ts). */
export const seriesInfix = (series: ReceiptSeries): string => (series === 'sale' ? '-' : '-R-');
