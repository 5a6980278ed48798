import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { barcodeField, barcodeListField, codeProblem, firstDuplicate, normalizeBarcode, normalizeLookupCode, normalizeSku, skuField } from './catalog-codes.js';

const issues = (schema: z.ZodType, v: unknown) => {
  const r = schema.safeParse(v);
  return r.success ? [] : r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
};

describe('SKU normalisation', () => {
  it('trims and upper-cases, so two spellings of one SKU collide', () => {
    expect(normalizeSku('  ice-latte-001 ')).toBe('ICE-LATTE-001');
    expect(skuField().parse('ice-latte-001')).toBe(skuField().parse('ICE-LATTE-001 '));
  });

  it('refuses empty, too long and spaced SKUs', () => {
    expect(issues(skuField(), '   ')[0]?.message).toBe('must not be empty');
    expect(issues(skuField(), 'A'.repeat(65))[0]?.message).toMatch(/at most 64/);
    expect(issues(skuField(), 'ICE LATTE')[0]?.message).toMatch(/no spaces/);
    expect(issues(skuField(), 'KOPI-Ü')[0]?.message).toMatch(/printable ASCII/);
  });
});

describe('barcode normalisation', () => {
  it('removes every space and upper-cases', () => {
    expect(normalizeBarcode(' 8 992761 002015\t')).toBe('8992761002015');
    expect(normalizeBarcode('abc-12')).toBe('ABC-12');
    expect(barcodeField().parse('8 992761 002015')).toBe('8992761002015');
  });

  it('a lookup code finds both a spaced barcode and a lower-case SKU', () => {
    expect(normalizeLookupCode(' 8 992761 002015 ')).toBe('8992761002015');
    expect(normalizeLookupCode('ice-latte-001')).toBe(normalizeSku('ice-latte-001'));
  });

  it('refuses a list with the same barcode twice after normalisation, naming the second', () => {
    expect(issues(barcodeListField(), ['123 456', '123456'])).toEqual([{ path: '1', message: 'duplicates barcode 123456' }]);
    expect(issues(barcodeListField(), Array.from({ length: 21 }, (_, i) => String(i)))[0]?.message).toMatch(/at most 20/);
  });

  it('codeProblem accepts printable ASCII up to 64 characters', () => {
    expect(codeProblem('0123456789012')).toBeUndefined();
    expect(codeProblem('')).toBe('must not be empty');
  });
});

describe('firstDuplicate', () => {
  it('finds the first repeated value and ignores empty ones', () => {
    expect(firstDuplicate(['A', null, 'B', undefined, 'A', 'B'])).toEqual({ value: 'A', first: 0, second: 4 });
    expect(firstDuplicate([null, null, 'A'])).toBeUndefined();
  });
});
