import { z } from 'zod';
import { requirePermission, withTransaction, type Ctx, type TxCtx } from '../../platform/context.js';
import { AppError, validationError, type FieldIssue } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { readPage, toPage, type Page, type PageRequest } from '../../platform/pagination.js';
import { parseInput } from '../../platform/validation.js';
import { recordTombstone, tickCatalogClock } from './catalog-clock.js';
import type { Price, PriceBook } from './catalog.schema.js';
import {
  conditionFieldsSet,
  conditionProblems,
  createPriceBookInput,
  mergeConditions,
  NO_CONDITIONS,
  setBookPricesInput,
  updatePriceBookInput,
  type BookConditions,
  type CreatePriceBookInput,
  type SetBookPricesInput,
  type UpdatePriceBookInput,
} from './price-book.js';
import { priceBookRepository as books } from './price-book.repository.js';
import { assertTenantCurrency, minorUnits } from './price.js';
import { PriceErrors } from './price.errors.js';
import { recordPricesChanged } from './price.events.js';
import { pricingLookups as lookups } from './price.repository.js';

export interface PriceBookListRequest extends PageRequest {
  active?: boolean | undefined;
  include_archived?: boolean | undefined;
  outlet_id?: string | undefined;
}

export interface BookPricesResult {
  book: PriceBook;
  set: Price[];
  /** Variant ids whose price was removed (ids that had no price in the book are not listed). */
  removed: string[];
}

/** Feed tombstone type for "prices of this variant were removed": see priceBookRepository.restampVariantPrices. */
export const VARIANT_PRICES_TOMBSTONE = 'variant_prices';

async function assertConditionsValid(tx: TxCtx, c: BookConditions, outletChanged: boolean): Promise<void> {
  const issues: FieldIssue[] = conditionProblems(c);
  if (outletChanged && c.outletId !== null && !(await lookups.outlet(tx, c.outletId))) issues.push({ field: 'outlet_id', message: 'no such outlet' });
  if (issues.length) throw validationError(issues);
}

async function liveBook(tx: TxCtx, id: string): Promise<PriceBook> {
  const book = await books.byId(tx, id);
  if (!book) throw new AppError(PriceErrors.PRICE_BOOK_NOT_FOUND, { id });
  if (book.archivedAt) throw new AppError(PriceErrors.PRICE_BOOK_ARCHIVED, { id });
  return book;
}

/** Price books: default (created by the first SetPrice), per outlet, channel, customer group, time-bound. */
export class PriceBookService {
  async create(ctx: Ctx, input: CreatePriceBookInput): Promise<PriceBook> {
    requirePermission(ctx, 'pos:catalog:write');
    const i = parseInput(createPriceBookInput, input);
    return withTransaction(ctx, async (tx) => {
      const tenant = await lookups.tenant(tx);
      assertTenantCurrency(tenant.currency, i.currency);
      const conditions = mergeConditions(NO_CONDITIONS, i);
      await assertConditionsValid(tx, conditions, true);
      const seq = await tickCatalogClock(tx);
      return books.insert(tx, {
        id: uuidv7(),
        name: i.name,
        isDefault: false,
        currency: tenant.currency,
        priority: i.priority ?? 0,
        ...conditions,
        active: i.active ?? true,
        changeSeq: seq,
      });
    });
  }

  async get(ctx: Ctx, id: string): Promise<PriceBook> {
    requirePermission(ctx, 'pos:catalog:read');
    const book = await withTransaction(ctx, (tx) => books.byId(tx, id));
    if (!book) throw new AppError(PriceErrors.PRICE_BOOK_NOT_FOUND, { id });
    return book;
  }

  async list(ctx: Ctx, req: PriceBookListRequest): Promise<Page<PriceBook>> {
    requirePermission(ctx, 'pos:catalog:read');
    const { limit, after } = readPage(req);
    const rows = await withTransaction(ctx, (tx) =>
      books.list(tx, limit, after, { includeArchived: req.include_archived ?? false, active: req.active, outletId: req.outlet_id }),
    );
    return toPage(rows, limit);
  }

  async update(ctx: Ctx, id: string, input: UpdatePriceBookInput): Promise<PriceBook> {
    requirePermission(ctx, 'pos:catalog:write');
    const i = parseInput(updatePriceBookInput, input);
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      const book = await liveBook(tx, id);
      assertTenantCurrency(book.currency, i.currency);
      const conditions = mergeConditions(book, i);
      if (book.isDefault) {
        const issues = conditionFieldsSet(conditions).map((field) => ({ field, message: 'the default price book applies everywhere and always; create another book for conditions' }));
        if (i.active === false) issues.push({ field: 'active', message: 'the default price book cannot be deactivated' });
        if (issues.length) throw validationError(issues);
      }
      await assertConditionsValid(tx, conditions, i.outlet_id !== undefined && i.outlet_id !== book.outletId);
      return (await books.update(tx, id, {
        ...(i.name !== undefined ? { name: i.name } : {}),
        ...(i.priority !== undefined ? { priority: i.priority } : {}),
        ...(i.active !== undefined ? { active: i.active } : {}),
        ...conditions,
        changeSeq: seq,
      }))!;
    });
  }

  /** Archives a book: it stops applying at once; its prices stay for history. Archiving twice is a no-op. */
  async archive(ctx: Ctx, id: string): Promise<PriceBook> {
    requirePermission(ctx, 'pos:catalog:write');
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      const book = await books.byId(tx, id);
      if (!book) throw new AppError(PriceErrors.PRICE_BOOK_NOT_FOUND, { id });
      if (book.isDefault) throw new AppError(PriceErrors.PRICE_BOOK_DEFAULT_LOCKED, { id });
      if (book.archivedAt) return book;
      return (await books.update(tx, id, { archivedAt: new Date(), changeSeq: seq }))!;
    });
  }

  async listPrices(ctx: Ctx, bookId: string, req: PageRequest): Promise<Page<Price>> {
    requirePermission(ctx, 'pos:catalog:read');
    const { limit, after } = readPage(req);
    return withTransaction(ctx, async (tx) => {
      if (!(await books.byId(tx, bookId))) throw new AppError(PriceErrors.PRICE_BOOK_NOT_FOUND, { id: bookId });
      const rows = await books.listPrices(tx, bookId, limit, after);
      return toPage(rows.map((p) => ({ ...p, id: p.variantId })), limit);
    });
  }

  /** Sets and removes many prices of one book in one transaction; all or nothing. */
  async setPrices(ctx: Ctx, bookId: string, input: SetBookPricesInput): Promise<BookPricesResult> {
    requirePermission(ctx, 'pos:catalog:write');
    const i = parseInput(setBookPricesInput, input);
    const set = i.set ?? [];
    assertBatchShape(set, i.remove ?? []);
    const remove = [...new Set(i.remove ?? [])];
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      const book = await liveBook(tx, bookId);
      const known = await lookups.existingVariants(tx, set.map((s) => s.variant_id));
      const unknown = set.flatMap((s, n) => (known.has(s.variant_id) ? [] : [{ field: `set.${n}.variant_id`, message: 'no such variant' }]));
      if (unknown.length) throw validationError(unknown);
      const touched = [...set.map((s) => s.variant_id), ...remove];
      const before = new Map((await books.pricesIn(tx, book.id, touched)).map((p) => [p.variantId, p.amount]));
      const written = await books.upsertPrices(tx, book.id, set.map((s) => ({ variantId: s.variant_id, amount: minorUnits(s.amount), currency: book.currency })), seq);
      const removed = (await books.deletePrices(tx, book.id, remove)).map((p) => p.variantId);
      for (const v of removed) await recordTombstone(tx, VARIANT_PRICES_TOMBSTONE, v, seq);
      await books.restampVariantPrices(tx, removed, seq);
      await recordPricesChanged(tx, book, [
        ...written.map((p) => ({ variantId: p.variantId, amount: p.amount, previousAmount: before.get(p.variantId) ?? null })),
        ...removed.map((v) => ({ variantId: v, amount: null, previousAmount: before.get(v) ?? null })),
      ]);
      return { book, set: written, removed };
    });
  }
}

type BatchSet = NonNullable<z.output<typeof setBookPricesInput>['set']>;

function assertBatchShape(set: BatchSet, remove: readonly string[]): void {
  const issues: FieldIssue[] = [];
  if (set.length === 0 && remove.length === 0) issues.push({ field: 'set', message: 'give prices to set or variant ids to remove' });
  const first = new Map<string, number>();
  set.forEach((s, n) => {
    if (first.has(s.variant_id)) issues.push({ field: `set.${n}.variant_id`, message: `variant listed twice (also at set.${first.get(s.variant_id)})` });
    else first.set(s.variant_id, n);
  });
  remove.forEach((v, n) => first.has(v) && issues.push({ field: `remove.${n}`, message: 'a variant cannot be both set and removed in one call' }));
  if (issues.length) throw validationError(issues);
}
