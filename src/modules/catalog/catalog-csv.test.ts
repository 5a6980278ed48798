import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cell, CellError, formatMoney, joinCategoryPath, parseHeader, splitCategoryPath } from './catalog-csv.js';

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof CellError) return e.message;
    throw e;
  }
  return undefined;
};

describe('money cells', () => {
  const idr = cell.money(2);
  it('reads major units with a dot into minor units, never through a float', () => {
    expect(idr('25000')).toBe(2_500_000n);
    expect(idr('25000.5')).toBe(2_500_050n);
    expect(idr('0.07')).toBe(7n);
    expect(idr('90071992547409.91')).toBe(9_007_199_254_740_991n);
    expect(cell.money(0)('1500')).toBe(1500n);
  });

  it('refuses what a spreadsheet user might mean differently', () => {
    expect(refusal(() => idr('25,000'))).toBe('no thousands separators; write 25000.00');
    expect(refusal(() => idr('12,50'))).toBe('use a dot for decimals: 12.50');
    expect(refusal(() => idr('1.005'))).toBe('at most 2 decimals');
    expect(refusal(() => cell.money(0)('1.5'))).toBe('this currency has no decimals');
    expect(refusal(() => idr('-1'))).toBe('must not be negative');
    expect(refusal(() => idr('1e5'))).toMatch(/must be an amount/);
    expect(refusal(() => idr('90071992547409.92'))).toBe('is too large');
  });

  it('writes back what it reads', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) }), fc.constantFrom(0, 2), (minor, exp) => {
        expect(cell.money(exp)(formatMoney(minor, exp))).toBe(minor);
      }),
    );
    expect(formatMoney(7n, 2)).toBe('0.07');
  });
});

describe('category paths', () => {
  it('split on slashes, trimmed, with \\/ for a slash inside a name', () => {
    expect(splitCategoryPath(' Drinks / Coffee ')).toEqual(['Drinks', 'Coffee']);
    expect(splitCategoryPath('Food/Hot \\/ Cold')).toEqual(['Food', 'Hot / Cold']);
    expect(refusal(() => cell.categoryPath('Drinks//Coffee'))).toMatch(/no empty names/);
  });

  it('round-trip any names', () => {
    const name = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() === s && s.length > 0);
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 4 }), (names) => {
        expect(splitCategoryPath(joinCategoryPath(names))).toEqual(names);
      }),
    );
  });
});

describe('list cells', () => {
  it('read tags and barcodes separated by |, normalising barcodes', () => {
    expect(cell.tags('hot| iced |hot')).toEqual(['hot', 'iced']);
    expect(cell.barcodes('8 992761 002015|abc-1')).toEqual(['8992761002015', 'ABC-1']);
    expect(refusal(() => cell.barcodes('111|111'))).toBe('barcode 111 is listed twice');
  });
});

describe('header', () => {
  it('knows the columns in any case and order, and option:<name> columns', () => {
    const { header, issues } = parseHeader(['Price', 'product_sku', 'option:Size', 'OPTION:milk']);
    expect(issues).toEqual([]);
    expect([...header.columns]).toEqual(['price', 'product_sku']);
    expect(header.optionKeys).toEqual(['Size', 'milk']);
  });

  it('names unknown, repeated and missing columns', () => {
    expect(parseHeader(['product_sku', 'prise', 'product_sku']).issues.map((i) => i.column)).toEqual(['prise', 'product_sku']);
    expect(parseHeader(['product_name']).issues).toEqual([{ column: 'product_sku', message: 'the header needs product_sku (or product_id)' }]);
  });
});
