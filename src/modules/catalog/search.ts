import { AppError, CommonErrors } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';

/**
 * Name search: the query is trimmed, inner spaces collapsed, lower-cased, at most 100 characters.
 * Matches are ranked: a name that starts with the query (1000), a name that contains it (900), then names
 * that match word-wise with typos, by pg_trgm word_similarity (0–1000). Queries shorter than
 * MIN_FUZZY_LENGTH only match by prefix: trigrams of one or two letters match nearly everything.
 */
export const MAX_QUERY_LENGTH = 100;
export const MIN_FUZZY_LENGTH = 3;
/** pg_trgm's `<%` threshold: "icd latte" → "Iced Latte" scores 0.8, "latet" → "Latte" 0.5. */
export const WORD_SIMILARITY_THRESHOLD = 0.5;

export const normalizeQuery = (q: string): string => q.trim().replace(/\s+/g, ' ').toLowerCase().slice(0, MAX_QUERY_LENGTH);

/** `s` as a LIKE pattern that matches it literally. */
export const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A search page token: the score and id of the last product of the previous page ("<score>:<id>"). */
export interface SearchPosition {
  score: number;
  id: string;
}

export const formatSearchToken = (p: SearchPosition): string => `${p.score}:${p.id}`;

export function parseSearchToken(token: string | undefined): SearchPosition | undefined {
  if (!token) return undefined;
  const m = /^(\d{1,4}):(.+)$/.exec(token);
  if (!m || !isUuid(m[2]) || Number(m[1]) > 1000) throw new AppError(CommonErrors.INVALID_PAGE_TOKEN, { field: 'page_token' });
  return { score: Number(m[1]), id: m[2]!.toLowerCase() };
}
