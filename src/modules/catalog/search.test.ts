import { describe, expect, it } from 'vitest';
import { formatSearchToken, likeEscape, normalizeQuery, parseSearchToken } from './search.js';

describe('name search input', () => {
  it('normalises the query: trimmed, single spaces, lower case, at most 100 characters', () => {
    expect(normalizeQuery('  Iced    LATTE ')).toBe('iced latte');
    expect(normalizeQuery('x'.repeat(150))).toHaveLength(100);
  });

  it('escapes LIKE wildcards so 100% matches literally', () => {
    expect(likeEscape('100%_a\\b')).toBe('100\\%\\_a\\\\b');
  });

  it('round-trips its page token and refuses a foreign one', () => {
    const id = '0192e3a4-5b6c-7d8e-9f00-112233445566';
    expect(parseSearchToken(formatSearchToken({ score: 812, id }))).toEqual({ score: 812, id });
    expect(parseSearchToken('')).toBeUndefined();
    for (const bad of [id, '812', '2000:' + id, 'x:' + id, '812:nope']) expect(() => parseSearchToken(bad), bad).toThrow(/page_token/);
  });
});
