import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSaleReceipt } from './receipt.js';
import { item, party, saleGraph } from './receipt.fixtures.js';
import { asciiText } from './receipt-escpos.js';
import { pair, wrap } from './receipt-layout.js';
import { formatMoney, formatRateBp } from './receipt-money.js';
import { renderReceiptText } from './receipt-text.js';

const cols = (s: string) => [...s].length;
const amount = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n });
const name = fc.oneof(fc.string({ maxLength: 120 }), fc.string({ unit: 'grapheme', maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 60 }));

describe('receipt money', () => {
  it('formats IDR with the ISO exponent and dot thousands, USD with cents', () => {
    expect(formatMoney(2_500_000n, 'IDR')).toBe('Rp 25.000');
    expect(formatMoney(123_456_789n, 'IDR')).toBe('Rp 1.234.567,89');
    expect(formatMoney(-50n, 'IDR')).toBe('-Rp 0,50');
    expect(formatMoney(1250n, 'USD')).toBe('$12.50');
    expect(formatMoney(123_456_700n, 'USD')).toBe('$1,234,567.00');
    expect(formatMoney(1200n, 'JPY')).toBe('JPY 1,200');
    expect(formatMoney(5n, 'EUR')).toBe('EUR 0.05');
    expect([formatRateBp(1100), formatRateBp(1250), formatRateBp(5)]).toEqual(['11%', '12.5%', '0.05%']);
  });
});

describe('receipt layout', () => {
  it('wraps and pairs within the width, keeping every word', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 60 }), fc.integer({ min: 16, max: 64 }), fc.integer({ min: 0, max: 4 }), (l, r, w, indent) => {
        const left = l.replace(/\s/g, ' ');
        for (const line of pair(left, r.replace(/\s/g, ' '), w, indent)) expect(cols(line)).toBeLessThanOrEqual(w);
        expect(wrap(left, w).join(' ').replace(/ /g, '')).toBe(left.replace(/ /g, ''));
      }),
    );
  });

  it('never prints a text receipt line wider than 32 or 48 columns, whatever the names and amounts', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ name, variant: name, price: amount, total: amount, qty: fc.integer({ min: 1, max: 999_999 }) }), { minLength: 1, maxLength: 5 }), amount, name, fc.constantFrom(32, 48), fc.constantFrom('IDR', 'USD', 'JPY', 'EUR'), (lines, total, cashier, width, currency) => {
        const g = saleGraph({ total, subtotal: total, currency, receiptNumber: cashier });
        g.items = lines.map((l, n) => item({ id: `i${n}`, lineNo: n, name: l.name, variantName: l.variant, unitPrice: l.price, subtotal: l.total, quantity: `${Math.floor(l.qty / 1000)}.${String(l.qty % 1000).padStart(3, '0')}`, modifiers: [{ modifier_id: 'm', group_id: null, quantity: 2, name: l.variant, price_delta: String(l.price) }] }));
        const receipt = buildSaleReceipt(g, party({ cashier, tenant: { name: cashier, receiptHeader: lines[0]!.name, receiptFooter: lines[0]!.variant } }));
        for (const line of renderReceiptText(receipt, width).split('\n')) expect(cols(line)).toBeLessThanOrEqual(width);
        for (const line of renderReceiptText({ ...receipt, copy: true, void: true }, width).split('\n')) expect(cols(line)).toBeLessThanOrEqual(width);
      }),
      { numRuns: 300 },
    );
  });

  it('makes any text printable ASCII for ESC/POS', () => {
    fc.assert(fc.property(name, (s) => /^[\x20-\x7e]*$/.test(asciiText(s))));
    expect(asciiText('Café crème – Müller’s “Spezial” ß €5 日本')).toBe('Cafe creme - Muller\'s "Spezial" ss EUR5 ??');
  });
});
