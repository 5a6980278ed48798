import { describe, expect, it } from 'vitest';
import { convertQuantity } from './units.js';

describe('unit conversions', () => {
  it('converts within a dimension, exactly to three decimals', () => {
    expect(convertQuantity('18', 'g', 'kg')).toBe('0.018');
    expect(convertQuantity('200', 'ml', 'l')).toBe('0.2');
    expect(convertQuantity('1.5', 'l', 'ml')).toBe('1500');
    expect(convertQuantity('2', 'dozen', 'pcs')).toBe('24');
    expect(convertQuantity('18', 'g', 'g')).toBe('18');
  });

  it('refuses conversions across dimensions and quantities that round to nothing', () => {
    expect(convertQuantity('18', 'g', 'ml')).toBeUndefined();
    expect(convertQuantity('1', 'pcs', 'kg')).toBeUndefined();
    expect(convertQuantity('0.4', 'mg', 'kg')).toBeUndefined();
  });
});
