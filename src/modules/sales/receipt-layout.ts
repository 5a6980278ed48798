import { formatMoney } from './receipt-money.js';
import type { Receipt } from './receipt.js';

/**
 * A receipt laid out for a fixed-width printer: one entry per printed line, never longer than the width (in
 * code points). The text and ESC/POS renderers share it, so both show the same lines; `clean` makes each
 * string printable for the target first (control characters out; for ESC/POS, ASCII only), before widths are
 * measured.
 */
export interface PrintLine {
  text: string;
  align: 'left' | 'center';
  bold?: boolean;
  /** Double height (not width: the line still fits the columns). */
  tall?: boolean;
}

export const RECEIPT_WIDTHS = [32, 48] as const;
export type ReceiptWidth = (typeof RECEIPT_WIDTHS)[number];

const len = (s: string): number => [...s].length;

/** Control characters (tabs, newlines, C1) become spaces; NFC so "é" is one column. */
// eslint-disable-next-line no-control-regex -- removing control characters is the point
export const cleanText = (s: string): string => s.normalize('NFC').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');

/** Words onto lines of at most `w` code points; words longer than a line are cut. Always at least one line. */
export function wrap(s: string, w: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const word of s.split(' ').filter((x) => x !== '')) {
    const chars = [...word];
    if (cur && len(cur) + 1 + chars.length <= w) {
      cur += ` ${word}`;
      continue;
    }
    if (cur) out.push(cur);
    cur = '';
    for (let i = 0; i < chars.length; i += w) {
      const piece = chars.slice(i, i + w).join('');
      if (i + w < chars.length) out.push(piece);
      else cur = piece;
    }
  }
  out.push(cur);
  return out;
}

/** `left` wrapped (indented), with `right` right-aligned on its last line, or on a line of its own. */
export function pair(left: string, right: string, w: number, indent = 0): string[] {
  const pad = ' '.repeat(indent);
  const lines = wrap(left, Math.max(1, w - indent)).map((l) => pad + l);
  const last = lines[lines.length - 1]!;
  if (len(last) + 1 + len(right) <= w) {
    lines[lines.length - 1] = last + ' '.repeat(w - len(last) - len(right)) + right;
    return lines;
  }
  for (const r of wrap(right, w)) lines.push(' '.repeat(w - len(r)) + r);
  return lines;
}

export function layoutReceipt(r: Receipt, width: number, clean: (s: string) => string = cleanText): PrintLine[] {
  const w = Math.max(16, width);
  const out: PrintLine[] = [];
  const money = (a: bigint) => clean(formatMoney(a, r.currency));
  const left = (lines: string[], extra: Partial<PrintLine> = {}) => lines.forEach((text) => out.push({ text, align: 'left', ...extra }));
  const center = (s: string, extra: Partial<PrintLine> = {}) => wrap(clean(s), w).forEach((text) => out.push({ text, align: 'center', ...extra }));
  const row = (l: string, amount: string, indent = 0, extra: Partial<PrintLine> = {}) => left(pair(clean(l), amount, w, indent), extra);
  const rule = (c = '-') => out.push({ text: c.repeat(w), align: 'left' });
  const marks = () => {
    if (r.void) center('*** VOID ***', { bold: true });
    if (r.copy) center('*** COPY ***', { bold: true });
  };

  center(r.header.tenant_name, { bold: true, tall: true });
  center(r.header.outlet_name);
  r.header.address_lines.forEach((l) => center(l));
  if (r.header.phone) center(`Tel ${r.header.phone}`);
  r.header.text_lines.forEach((l) => center(l));
  if (r.kind === 'refund') center('REFUND', { bold: true });
  marks();
  rule();
  row(r.kind === 'refund' ? 'Refund' : 'Receipt', clean(r.receipt_number ?? '-'));
  if (r.original_receipt_number) row('Sale', clean(r.original_receipt_number));
  row('Date', clean(r.local_time));
  if (r.cashier) row('Cashier', clean(r.cashier));
  rule();
  for (const l of r.lines) {
    left(wrap(clean(l.name), w));
    if (l.variant) left(wrap(clean(l.variant), w - 2).map((x) => `  ${x}`));
    l.modifiers.forEach((m) => row(`+ ${m.label}`, m.amount === 0n ? '' : money(m.amount), 2));
    row(`${l.quantity} x ${money(l.unit_price)}`, money(l.line_total), 2);
    l.discounts.forEach((d) => row(d.label, money(-d.amount), 2));
  }
  if (r.lines.length > 0) rule();
  row('Subtotal', money(r.subtotal));
  r.discounts.forEach((d) => row(d.label, money(-d.amount)));
  r.service_charges.forEach((s) => row(s.label, money(s.amount)));
  r.taxes.forEach((t) => row(t.label, money(t.amount)));
  if (r.kind === 'refund' && r.tax_total !== 0n) row('Tax included', money(r.tax_total));
  if (r.tip !== 0n) row('Tip', money(r.tip));
  if (r.rounding !== 0n) row('Rounding', money(r.rounding));
  rule('=');
  row(r.kind === 'refund' ? 'REFUND TOTAL' : 'TOTAL', money(r.total), 0, { bold: true, tall: true });
  if (r.kind === 'refund' && r.tenders.length > 0) left(['Refunded to:']);
  for (const t of r.tenders) {
    row(t.label, money(t.amount));
    if (t.tendered !== null && t.tendered !== t.amount) row('Tendered', money(t.tendered), 2);
  }
  if (r.change !== 0n) row('Change', money(r.change), 0, { bold: true });
  if (r.reason) left(wrap(clean(`Reason: ${r.reason}`), w));
  if (r.void_reason) left(wrap(clean(`Void: ${r.void_reason}`), w));
  rule();
  r.footer_lines.forEach((l) => center(l));
  marks();
  return out;
}
