import { describe, expect, it } from 'vitest';
import { buildSaleReceipt } from './receipt.js';
import { party, saleGraph } from './receipt.fixtures.js';
import { ESCPOS, renderReceiptEscPos } from './receipt-escpos.js';
import { renderReceiptHtml } from './receipt-html.js';
import { renderReceiptText } from './receipt-text.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const has = (b: Uint8Array, seq: readonly number[]) => hex(b).includes(Buffer.from(seq).toString('hex'));

describe('HTML receipts', () => {
  it('renders a printable standalone page (golden)', () => {
    expect(renderReceiptHtml(buildSaleReceipt(saleGraph(), party()))).toMatchSnapshot();
  });
  it('escapes everything from data and loads nothing external', () => {
    const evil = '<script>alert("x")</script>&';
    const html = renderReceiptHtml(buildSaleReceipt(saleGraph({ receiptNumber: evil }), party({ cashier: evil, printNumber: 2 })));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;');
    expect(html).not.toMatch(/\b(src|href)=|@import|url\(/);
    expect(html).toContain('<div class="mark">COPY</div>');
  });
});

describe('ESC/POS receipts', () => {
  it('starts with init, centres the header, prints the total bold and double height, and ends with a cut (golden)', () => {
    const bytes = renderReceiptEscPos(buildSaleReceipt(saleGraph(), party()), 32);
    expect(hex(bytes.slice(0, 2))).toBe('1b40');
    expect(has(bytes, [...ESCPOS.alignCenter])).toBe(true);
    expect(has(bytes, [...ESCPOS.alignLeft, ...ESCPOS.boldOn, ...ESCPOS.tallOn, ...Buffer.from('TOTAL')])).toBe(true);
    expect(hex(bytes.slice(-4))).toBe('1d564200');
    expect(Buffer.from(bytes).toString('latin1')).toMatchSnapshot();
  });
  it('never sends a byte above 0x7f outside commands, and marks copies', () => {
    const bytes = renderReceiptEscPos(buildSaleReceipt(saleGraph(), party({ cashier: 'Sörén 日本 ☕', printNumber: 3 })), 48);
    expect([...bytes].every((b) => b < 0x80)).toBe(true);
    expect(Buffer.from(bytes).toString('latin1')).toContain('Soren ?? ?');
    expect(Buffer.from(bytes).toString('latin1')).toContain('*** COPY ***');
  });
});

describe('copies and voids', () => {
  it('marks a reprint COPY and a voided order VOID in text', () => {
    const text = renderReceiptText(buildSaleReceipt(saleGraph({ status: 'VOIDED', voidReason: 'customer left', receiptNumber: null }), party({ printNumber: 2 })), 32);
    expect(text.match(/\*\*\* COPY \*\*\*/g)).toHaveLength(2);
    expect(text).toContain('*** VOID ***');
    expect(text).toContain('Void: customer left');
  });
});
