import { describe, expect, it } from 'vitest';
import { findCardNumbers } from './hostile.js';

describe('the card-number scan', () => {
  it('finds a Luhn-valid card number written plain, with spaces or with dashes', () => {
    expect(findCardNumbers('4111111111111111')).toEqual(['4111111111111111']);
    expect(findCardNumbers('paid with 4111 1111 1111 1111.')).toEqual(['4111 1111 1111 1111']);
    expect(findCardNumbers('ref 5500-0000-0000-0004 ok')).toEqual(['5500-0000-0000-0004']);
  });

  it('does not read ids or amounts as card numbers', () => {
    // A UUID whose last groups read as 13 Luhn-valid digits (a false alarm CI once raised).
    expect(findCardNumbers('5c64c94d-6c7b-4067-add7-851000000017')).toEqual([]);
    expect(findCardNumbers('4111111111111112')).toEqual([]); // fails Luhn
    expect(findCardNumbers('1234567890')).toEqual([]); // too short
  });
});
