import { formatMoney } from './receipt-money.js';
import type { Receipt, ReceiptAmount } from './receipt.js';

/**
 * A standalone, printable HTML receipt: one document, inline CSS sized for an 80 mm roll (and A4 alike), no
 * scripts, fonts, images or any other external asset. Every string from data is escaped.
 */
export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{margin:0;font:13px/1.35 ui-monospace,Menlo,Consolas,monospace;color:#000;background:#fff}
.receipt{max-width:72mm;margin:0 auto;padding:4mm}
.c{text-align:center}.b{font-weight:bold}.big{font-size:1.4em}.mark{font-weight:bold;text-align:center;border:2px solid #000;margin:2mm 0;padding:1mm;letter-spacing:.2em}
table{width:100%;border-collapse:collapse}td{vertical-align:top;padding:0}td.r{text-align:right;white-space:nowrap;padding-left:2mm}
.sub td:first-child{padding-left:3mm}hr{border:0;border-top:1px dashed #000;margin:2mm 0}
@media print{@page{margin:0}.receipt{padding:0 2mm}}`;

export function renderReceiptHtml(r: Receipt): string {
  const e = escapeHtml;
  const m = (a: bigint) => e(formatMoney(a, r.currency));
  const row = (label: string, amount: string, cls = '') => `<tr${cls ? ` class="${cls}"` : ''}><td>${e(label)}</td><td class="r">${amount}</td></tr>`;
  const rows = (xs: ReceiptAmount[], sign = 1n, cls = '') => xs.map((x) => row(x.label, m(sign * x.amount), cls)).join('');
  const marks = [r.void ? '<div class="mark">VOID</div>' : '', r.copy ? '<div class="mark">COPY</div>' : ''].join('');
  const h = r.header;
  const title = `${r.kind === 'refund' ? 'Refund' : 'Receipt'} ${r.receipt_number ?? ''}${r.copy ? ' (COPY)' : ''}`;
  const lines = r.lines
    .map(
      (l) =>
        `<tr><td colspan="2">${e(l.name)}${l.variant ? `<br><small>${e(l.variant)}</small>` : ''}</td></tr>` +
        l.modifiers.map((x) => row(`+ ${x.label}`, x.amount === 0n ? '' : m(x.amount), 'sub')).join('') +
        row(`${l.quantity} x ${formatMoney(l.unit_price, r.currency)}`, m(l.line_total), 'sub') +
        rows(l.discounts, -1n, 'sub'),
    )
    .join('');
  const tenders = r.tenders
    .map((t) => row(t.label, m(t.amount)) + (t.tendered !== null && t.tendered !== t.amount ? row('Tendered', m(t.tendered), 'sub') : ''))
    .join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(title)}</title><style>${STYLE}</style></head>
<body><main class="receipt">
<div class="c"><div class="b big">${e(h.tenant_name)}</div><div>${e(h.outlet_name)}</div>${h.address_lines.map((l) => `<div>${e(l)}</div>`).join('')}${h.phone ? `<div>Tel ${e(h.phone)}</div>` : ''}${h.text_lines.map((l) => `<div>${e(l)}</div>`).join('')}</div>
${r.kind === 'refund' ? '<div class="c b">REFUND</div>' : ''}${marks}<hr>
<table>${row(r.kind === 'refund' ? 'Refund' : 'Receipt', e(r.receipt_number ?? '-'))}${r.original_receipt_number ? row('Sale', e(r.original_receipt_number)) : ''}${row('Date', e(r.local_time))}${r.cashier ? row('Cashier', e(r.cashier)) : ''}</table><hr>
<table>${lines}</table>${r.lines.length ? '<hr>' : ''}
<table>${row('Subtotal', m(r.subtotal))}${rows(r.discounts, -1n)}${rows(r.service_charges)}${r.taxes.map((t) => row(t.label, m(t.amount))).join('')}${r.kind === 'refund' && r.tax_total !== 0n ? row('Tax included', m(r.tax_total)) : ''}${r.tip !== 0n ? row('Tip', m(r.tip)) : ''}${r.rounding !== 0n ? row('Rounding', m(r.rounding)) : ''}
<tr class="b big"><td>${r.kind === 'refund' ? 'REFUND TOTAL' : 'TOTAL'}</td><td class="r">${m(r.total)}</td></tr>
${r.kind === 'refund' && r.tenders.length ? '<tr><td colspan="2">Refunded to:</td></tr>' : ''}${tenders}${r.change !== 0n ? `<tr class="b"><td>Change</td><td class="r">${m(r.change)}</td></tr>` : ''}</table>
${r.reason ? `<p>Reason: ${e(r.reason)}</p>` : ''}${r.void_reason ? `<p>Void: ${e(r.void_reason)}</p>` : ''}<hr>
<div class="c">${r.footer_lines.map((l) => `<div>${e(l)}</div>`).join('')}</div>${marks}
</main></body></html>
`;
}
