import { and, asc, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { priceBooks, prices, type Price, type PriceBook } from './catalog.schema.js';
import type { BookConditions } from './price-book.js';

type BookInsert = Omit<typeof priceBooks.$inferInsert, 'tenantId'>;
type BookPatch = Partial<Omit<typeof priceBooks.$inferInsert, 'tenantId' | 'id' | 'isDefault' | 'createdAt'>>;

/** Price books and the prices in them. SQL only; every query names the tenant. */
export const priceBookRepository = {
  async insert(tx: TxScope, row: BookInsert): Promise<PriceBook> {
    const [b] = await tx.db.insert(priceBooks).values({ ...row, tenantId: tx.tenantId }).returning();
    return b!;
  },

  async byId(tx: TxScope, id: string): Promise<PriceBook | undefined> {
    const [b] = await tx.db.select().from(priceBooks).where(and(eq(priceBooks.tenantId, tx.tenantId), eq(priceBooks.id, id)));
    return b;
  },

  async defaultBook(tx: TxScope): Promise<PriceBook | undefined> {
    const [b] = await tx.db.select().from(priceBooks).where(and(eq(priceBooks.tenantId, tx.tenantId), eq(priceBooks.isDefault, true)));
    return b;
  },

  /** The oldest live book whose only condition is this outlet: where SetPrice with an outlet_id writes. */
  async outletBook(tx: TxScope, outletId: string): Promise<PriceBook | undefined> {
    const [b] = await tx.db
      .select()
      .from(priceBooks)
      .where(
        and(
          eq(priceBooks.tenantId, tx.tenantId),
          eq(priceBooks.outletId, outletId),
          eq(priceBooks.isDefault, false),
          isNull(priceBooks.archivedAt),
          isNull(priceBooks.channel),
          isNull(priceBooks.customerGroupId),
          isNull(priceBooks.startsAt),
          isNull(priceBooks.endsAt),
          isNull(priceBooks.daysOfWeek),
          isNull(priceBooks.startMinute),
        ),
      )
      .orderBy(asc(priceBooks.id))
      .limit(1);
    return b;
  },

  async list(tx: TxScope, limit: number, after: string | undefined, f: { includeArchived: boolean; active?: boolean | undefined; outletId?: string | undefined }): Promise<PriceBook[]> {
    return tx.db
      .select()
      .from(priceBooks)
      .where(
        and(
          eq(priceBooks.tenantId, tx.tenantId),
          after ? gt(priceBooks.id, after) : undefined,
          f.includeArchived ? undefined : isNull(priceBooks.archivedAt),
          f.active === undefined ? undefined : eq(priceBooks.active, f.active),
          f.outletId === undefined ? undefined : eq(priceBooks.outletId, f.outletId),
        ),
      )
      .orderBy(asc(priceBooks.id))
      .limit(limit + 1);
  },

  async update(tx: TxScope, id: string, patch: BookPatch & Partial<BookConditions>): Promise<PriceBook | undefined> {
    const [b] = await tx.db
      .update(priceBooks)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(priceBooks.tenantId, tx.tenantId), eq(priceBooks.id, id)))
      .returning();
    return b;
  },

  /** Current prices of `variantIds` in a book, to report what changed. */
  async pricesIn(tx: TxScope, bookId: string, variantIds: readonly string[]): Promise<Price[]> {
    if (variantIds.length === 0) return [];
    return tx.db
      .select()
      .from(prices)
      .where(and(eq(prices.tenantId, tx.tenantId), eq(prices.priceBookId, bookId), inArray(prices.variantId, [...variantIds])));
  },

  async upsertPrices(tx: TxScope, bookId: string, rows: { variantId: string; amount: bigint; currency: string }[], seq: bigint): Promise<Price[]> {
    if (rows.length === 0) return [];
    return tx.db
      .insert(prices)
      .values(rows.map((r) => ({ tenantId: tx.tenantId, priceBookId: bookId, variantId: r.variantId, amount: r.amount, currency: r.currency, changeSeq: seq })))
      .onConflictDoUpdate({
        target: [prices.tenantId, prices.priceBookId, prices.variantId],
        set: { amount: sql`excluded.amount`, currency: sql`excluded.currency`, changeSeq: seq, updatedAt: sql`now()` },
      })
      .returning();
  },

  async deletePrices(tx: TxScope, bookId: string, variantIds: readonly string[]): Promise<Price[]> {
    if (variantIds.length === 0) return [];
    return tx.db
      .delete(prices)
      .where(and(eq(prices.tenantId, tx.tenantId), eq(prices.priceBookId, bookId), inArray(prices.variantId, [...variantIds])))
      .returning();
  },

  /**
   * Re-stamps every remaining price of `variantIds` with `seq`. With the `variant_prices` tombstone recorded
   * at the same seq, a register that sees the tombstone drops its prices of the variant older than seq and
   * keeps the ones the feed re-sent: removal of one (book, variant) price needs no id of its own.
   */
  async restampVariantPrices(tx: TxScope, variantIds: readonly string[], seq: bigint): Promise<void> {
    if (variantIds.length === 0) return;
    await tx.db
      .update(prices)
      .set({ changeSeq: seq })
      .where(and(eq(prices.tenantId, tx.tenantId), inArray(prices.variantId, [...variantIds])));
  },

  /** A page of a book's prices, by variant id. */
  async listPrices(tx: TxScope, bookId: string, limit: number, after: string | undefined): Promise<Price[]> {
    return tx.db
      .select()
      .from(prices)
      .where(and(eq(prices.tenantId, tx.tenantId), eq(prices.priceBookId, bookId), after ? gt(prices.variantId, after) : undefined))
      .orderBy(asc(prices.variantId))
      .limit(limit + 1);
  },

  /** The books that can answer a price query (active, not archived): few per tenant. */
  async usable(tx: TxScope): Promise<PriceBook[]> {
    return tx.db
      .select()
      .from(priceBooks)
      .where(and(eq(priceBooks.tenantId, tx.tenantId), eq(priceBooks.active, true), isNull(priceBooks.archivedAt)));
  },

  /** Every price of one variant with its book, default book first, then by priority: the resolver's candidates. */
  async candidates(tx: TxScope, variantIds: readonly string[], usableOnly: boolean): Promise<{ price: Price; book: PriceBook }[]> {
    if (variantIds.length === 0) return [];
    return tx.db
      .select({ price: prices, book: priceBooks })
      .from(prices)
      .innerJoin(priceBooks, and(eq(priceBooks.tenantId, prices.tenantId), eq(priceBooks.id, prices.priceBookId)))
      .where(
        and(
          eq(prices.tenantId, tx.tenantId),
          inArray(prices.variantId, [...variantIds]),
          usableOnly ? and(eq(priceBooks.active, true), isNull(priceBooks.archivedAt)) : undefined,
        ),
      )
      .orderBy(desc(priceBooks.isDefault), desc(priceBooks.priority), asc(priceBooks.id));
  },
};
