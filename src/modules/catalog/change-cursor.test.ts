import { describe, expect, it } from 'vitest';
import { isAppError } from '../../platform/errors.js';
import { cutChangePage, formatChangeCursor, parseChangeCursor, type Positioned } from './change-cursor.js';

const refused = (since: string) => {
  try {
    parseChangeCursor(since, (t) => ['product', 'variant'].includes(t));
    return undefined;
  } catch (e) {
    return isAppError(e) ? [e.code, e.details?.field] : e;
  }
};

describe('change cursor parsing', () => {
  it('reads a decimal change_seq; absent, empty or 0 means everything', () => {
    expect(parseChangeCursor(undefined)).toEqual({ seq: 0n });
    expect(parseChangeCursor('')).toEqual({ seq: 0n });
    expect(parseChangeCursor('0')).toEqual({ seq: 0n });
    expect(parseChangeCursor('1024')).toEqual({ seq: 1024n });
    expect(parseChangeCursor('9223372036854775807')).toEqual({ seq: 9223372036854775807n });
  });

  it('reads a position inside one seq, keys of two ids included', () => {
    expect(parseChangeCursor('7:variant:0192e3a4-5b6c-7d8e-9f00-112233445566')).toEqual({ seq: 7n, within: { type: 'variant', key: '0192e3a4-5b6c-7d8e-9f00-112233445566' } });
    expect(parseChangeCursor('7:price:a:b').within).toEqual({ type: 'price', key: 'a:b' });
  });

  it('refuses anything else with INVALID_CHANGE_CURSOR naming since', () => {
    for (const bad of ['-1', '1.5', 'abc', ' 12', '12 ', '0x10', '1e3', '9223372036854775808', '12345678901234567890', '7:', '7:variant', '7:Nope:x', '7:widget:x', '7:variant:']) {
      expect(refused(bad), bad).toEqual(['INVALID_CHANGE_CURSOR', 'since']);
    }
  });

  it('formats what it parses', () => {
    for (const c of ['0', '42', '7:variant:0192e3a4-5b6c-7d8e-9f00-112233445566']) expect(formatChangeCursor(parseChangeCursor(c))).toBe(c);
  });
});

const row = (seq: number, key: string, type = 'product'): Positioned => ({ seq: BigInt(seq), type, key });

describe('cutting a page of changes', () => {
  it('returns everything when fewer than limit + 1 rows came, ending at the last seq (or where it started)', () => {
    expect(cutChangePage([row(3, 'a'), row(4, 'b')], 5, { seq: 2n })).toEqual({ rows: [row(3, 'a'), row(4, 'b')], cursor: { seq: 4n }, hasMore: false });
    expect(cutChangePage([], 5, { seq: 9n, within: { type: 'product', key: 'x' } })).toEqual({ rows: [], cursor: { seq: 9n }, hasMore: false });
  });

  it('ends on a whole seq when the next row starts a new one', () => {
    const cut = cutChangePage([row(1, 'a'), row(2, 'b'), row(3, 'c')], 2, { seq: 0n });
    expect(cut).toEqual({ rows: [row(1, 'a'), row(2, 'b')], cursor: { seq: 2n }, hasMore: true });
  });

  it('cuts back to the last whole seq rather than splitting one', () => {
    const cut = cutChangePage([row(1, 'a'), row(2, 'b'), row(2, 'c'), row(2, 'd')], 3, { seq: 0n });
    expect(cut).toEqual({ rows: [row(1, 'a')], cursor: { seq: 1n }, hasMore: true });
  });

  it('splits a seq only when it alone is larger than a page, with a position cursor', () => {
    const cut = cutChangePage([row(5, 'a'), row(5, 'b', 'variant'), row(5, 'c', 'variant')], 2, { seq: 4n });
    expect(cut).toEqual({ rows: [row(5, 'a'), row(5, 'b', 'variant')], cursor: { seq: 5n, within: { type: 'variant', key: 'b' } }, hasMore: true });
  });
});
