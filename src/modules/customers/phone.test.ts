import { describe, expect, it } from 'vitest';
import { normalizePhone } from './phone.js';

describe('normalizePhone', () => {
  it('reads a national Indonesian number with its trunk 0 as +62', () => {
    expect(normalizePhone('0812-3456-7890', 'ID')).toBe('+6281234567890');
    expect(normalizePhone('(0812) 3456 7890', 'ID')).toBe('+6281234567890');
  });
  it('keeps an international number whatever the default country', () => {
    expect(normalizePhone('+1 415 555 2671', 'ID')).toBe('+14155552671');
    expect(normalizePhone('+62 812 3456 7890', 'US')).toBe('+6281234567890');
  });
  it('refuses what is not a phone number', () => {
    expect(normalizePhone('12', 'ID')).toBeUndefined();
    expect(normalizePhone('not a phone', 'ID')).toBeUndefined();
    expect(normalizePhone('', 'ID')).toBeUndefined();
  });
});
