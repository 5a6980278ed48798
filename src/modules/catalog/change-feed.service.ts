import { requirePermission, withTransaction, type Ctx } from '../../platform/context.js';
import { validationError } from '../../platform/errors.js';
import { cutChangePage, formatChangeCursor, parseChangeCursor } from './change-cursor.js';
import { changeFeedRepository, FEED_SOURCES, feedKey, parseFeedKey, TOMBSTONE_TYPE, type FeedRow } from './change-feed.repository.js';

export const DEFAULT_CHANGES_LIMIT = 1000;
export const MAX_CHANGES_LIMIT = 5000;

export interface CatalogChange {
  /** category, product, variant, product_availability, modifier_group, modifier, product_modifier_group, tax_category, tax_rule, price_book, price, image. */
  type: string;
  op: 'upsert' | 'delete';
  /** The row's id; "<first>:<second>" for rows keyed by two ids (availability, prices, product↔group links). */
  id: string;
  seq: bigint;
  /** The row (snake_case) for an upsert as JSON text, rendered by PostgreSQL and passed through; null for a delete. */
  dataJson: string | null;
}

export interface ChangePage {
  changes: CatalogChange[];
  /** Pass back as `since` to get what comes next; stays valid forever. */
  nextCursor: string;
  hasMore: boolean;
}

const typeByRank = new Map(FEED_SOURCES.map((s, i) => [i + 1, s.type] as const));

function toChange(r: FeedRow): CatalogChange {
  if (r.entity_type === null) return { type: typeByRank.get(r.rank)!, op: 'upsert', id: feedKey(r), seq: r.seq, dataJson: r.data };
  return { type: r.entity_type, op: 'delete', id: r.k1, seq: r.seq, dataJson: null };
}

/**
 * The register's sync: every catalog change after a cursor, in change_seq order (commit order, see
 * catalog-clock.ts), deletions included. A delete is a tombstone (recordTombstone) reported with the entity
 * type and id its writer recorded: "variant", "image", … for one row; writers of rows keyed by two ids record
 * collection tombstones ("variant_prices" with the variant id, "product_modifier_groups" with the product id:
 * drop that variant's prices / that product's links older than the tombstone's seq; the survivors are
 * re-stamped in the same seq and follow it). Reading is lock-free; the tenant's catalog lock that writers hold
 * guarantees that once seq N is visible every seq below it is too, so a cursor never skips a change.
 */
export class ChangeFeedService {
  async changes(ctx: Ctx, req: { since?: string | undefined; limit?: number | undefined }): Promise<ChangePage> {
    requirePermission(ctx, 'pos:catalog:read');
    const limit = req.limit ?? DEFAULT_CHANGES_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CHANGES_LIMIT) {
      throw validationError([{ field: 'limit', message: `must be an integer from 1 to ${MAX_CHANGES_LIMIT}` }]);
    }
    const since = parseChangeCursor(req.since, (type, key) => parseFeedKey(type, key) !== undefined);
    const rows = await withTransaction(ctx, (tx) => changeFeedRepository.page(tx, since, limit));
    const positioned = rows.map((r) => ({ ...r, type: r.entity_type === null ? typeByRank.get(r.rank)! : TOMBSTONE_TYPE, key: feedKey(r) }));
    const cut = cutChangePage(positioned, limit, since);
    // The statement rendered data for exactly the rows kept; a miss would be a bug there, not a lost change.
    if (cut.rows.some((r) => r.entity_type === null && r.data === null)) throw new Error('change feed: a kept upsert has no data');
    return { changes: cut.rows.map(toChange), nextCursor: formatChangeCursor(cut.cursor), hasMore: cut.hasMore };
  }
}
