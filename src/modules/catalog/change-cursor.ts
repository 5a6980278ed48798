import { AppError } from '../../platform/errors.js';
import { CatalogErrors } from './catalog.errors.js';

/**
 * Change feed cursors. A cursor is a catalog change sequence number as a decimal string: "I have every
 * change up to and including this seq". `since` absent or "0" means a full sync.
 *
 * One write transaction stamps all its rows with one seq, and pages end on a whole seq, so the plain form is
 * what clients see. Only when one transaction changed more rows than a page holds (a large CSV import) does a
 * page end inside it; that page's cursor is `<seq>:<type>:<key>`, the position reached inside the seq.
 * Clients treat cursors as opaque and pass back exactly what they received.
 */
export interface ChangeCursor {
  seq: bigint;
  /** Position inside `seq` already delivered: rows ordered by (type rank, key) up to this one. */
  within?: { type: string; key: string } | undefined;
}

const MAX_SEQ = 9_223_372_036_854_775_807n;
const SEQ_RE = /^\d{1,19}$/;
const TYPE_RE = /^[a-z][a-z_]{0,39}$/;
const KEY_RE = /^[\x21-\x7e]{1,200}$/;

const invalid = (since: string): AppError =>
  new AppError(CatalogErrors.INVALID_CHANGE_CURSOR, { field: 'since', since: since.slice(0, 100) }, 'since must be a cursor returned by this feed (a change sequence number such as 1024), or 0 for everything');

/** `isPosition` says whether a type and key inside a seq are ones the feed could have written. */
export function parseChangeCursor(since: string | undefined, isPosition: (type: string, key: string) => boolean = () => true): ChangeCursor {
  if (since === undefined || since === '') return { seq: 0n };
  const first = since.indexOf(':');
  const seqText = first < 0 ? since : since.slice(0, first);
  if (!SEQ_RE.test(seqText)) throw invalid(since);
  const seq = BigInt(seqText);
  if (seq > MAX_SEQ) throw invalid(since);
  if (first < 0) return { seq };
  const rest = since.slice(first + 1);
  const second = rest.indexOf(':');
  if (second < 0) throw invalid(since);
  const type = rest.slice(0, second);
  const key = rest.slice(second + 1);
  if (!TYPE_RE.test(type) || !KEY_RE.test(key) || !isPosition(type, key)) throw invalid(since);
  return { seq, within: { type, key } };
}

export function formatChangeCursor(c: ChangeCursor): string {
  return c.within ? `${c.seq}:${c.within.type}:${c.within.key}` : c.seq.toString();
}

export interface Positioned {
  seq: bigint;
  /** Type name as it appears in a cursor, and the row's key within its type. */
  type: string;
  key: string;
}

/**
 * Cuts the rows fetched after `since` (at most `limit + 1`, in (seq, type rank, key) order) into a page and
 * the cursor that follows it. A page ends on a whole seq whenever it can, so the cursor stays a plain seq:
 *  - fewer than limit + 1 rows: everything there is; the cursor is the last row's seq (or `since`'s seq);
 *  - the row after the page has a later seq: the page ends on a whole seq;
 *  - otherwise the page is cut back to its last whole seq, unless the page is all one seq (a transaction
 *    larger than a page), which alone ends inside the seq with `<seq>:<type>:<key>`.
 */
export function cutChangePage<R extends Positioned>(rows: readonly R[], limit: number, since: ChangeCursor): { rows: R[]; cursor: ChangeCursor; hasMore: boolean } {
  if (rows.length <= limit) {
    const last = rows[rows.length - 1];
    return { rows: [...rows], cursor: { seq: last ? last.seq : since.seq }, hasMore: false };
  }
  const page = rows.slice(0, limit);
  const last = page[limit - 1]!;
  if (rows[limit]!.seq > last.seq) return { rows: page, cursor: { seq: last.seq }, hasMore: true };
  let end = limit - 1;
  while (end >= 0 && page[end]!.seq === last.seq) end--;
  if (end >= 0) return { rows: page.slice(0, end + 1), cursor: { seq: page[end]!.seq }, hasMore: true };
  return { rows: page, cursor: { seq: last.seq, within: { type: last.type, key: last.key } }, hasMore: true };
}
