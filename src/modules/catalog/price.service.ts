import { requirePermission, withTransaction, type Ctx, type TxScope } from '../../platform/context.js';
import { AppError, validationError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { parseInput } from '../../platform/validation.js';
import { tickCatalogClock } from './catalog-clock.js';
import type { Price, PriceBook } from './catalog.schema.js';
import { NO_CONDITIONS } from './price-book.js';
import { priceBookRepository as books } from './price-book.repository.js';
import { bookPrecedence, explainCandidates, localTime, resolvePrice, type PriceCandidate, type PriceQuery, type PriceResolution } from './price-resolver.js';
import {
  assertTenantCurrency,
  minorUnits,
  priceQueryInput,
  resolvePricesInput,
  setPriceInput,
  variantPriceInput,
  type PriceQueryInput,
  type ResolvePricesInput,
  type SetPriceInput,
  type VariantPriceInput,
} from './price.js';
import { PriceErrors } from './price.errors.js';
import { recordPricesChanged } from './price.events.js';
import { pricingLookups as lookups } from './price.repository.js';
import { CatalogErrors } from './catalog.errors.js';

export interface PricedVariant {
  price: Price;
  book: PriceBook;
}

/** Where and when a sale happens, for the resolver; every field optional (now, no outlet, no channel…). */
export interface PriceContext {
  outletId?: string | undefined;
  channel?: string | undefined;
  customerGroupId?: string | undefined;
  at?: Date | undefined;
}

export interface ResolvedVariantPrice {
  variantId: string;
  /** undefined when no book has an applicable price for the variant. */
  resolution: PriceResolution | undefined;
}

const toContext = (q: { outlet_id?: string | undefined; channel?: string | undefined; customer_group_id?: string | undefined; at?: string | undefined }): PriceContext => ({
  outletId: q.outlet_id,
  channel: q.channel,
  customerGroupId: q.customer_group_id,
  at: q.at === undefined ? undefined : new Date(q.at),
});

/** The resolver's query: the outlet's time zone (the tenant's when no outlet is given), now when no time. */
async function priceQuery(tx: TxScope, c: PriceContext): Promise<PriceQuery> {
  let timeZone: string;
  if (c.outletId === undefined) timeZone = (await lookups.tenant(tx)).timeZone;
  else {
    const outlet = await lookups.outlet(tx, c.outletId);
    if (!outlet) throw validationError([{ field: 'outlet_id', message: 'no such outlet' }]);
    timeZone = outlet.timeZone;
  }
  return { outletId: c.outletId, channel: c.channel, customerGroupId: c.customerGroupId, at: c.at ?? new Date(), timeZone };
}

const candidatesOf = (rows: { price: Price; book: PriceBook }[]): PriceCandidate[] => rows.map(({ price, book }) => ({ book, amount: price.amount, currency: price.currency }));

/**
 * Resolves many variants at once inside the caller's transaction: one query for the prices with their
 * (usable) books, one for the time zone, then the pure resolver per variant. For other modules (a page of
 * products, an order's lines): no permission check here, the caller has checked its own.
 */
export async function resolvePricesInTx(tx: TxScope, variantIds: readonly string[], c: PriceContext): Promise<ResolvedVariantPrice[]> {
  const q = await priceQuery(tx, c);
  const byVariant = new Map<string, PriceCandidate[]>();
  const rows = await books.candidates(tx, variantIds, true);
  for (const { price, book } of rows) {
    const list = byVariant.get(price.variantId) ?? [];
    list.push({ book, amount: price.amount, currency: price.currency });
    byVariant.set(price.variantId, list);
  }
  const local = localTime(q.at, q.timeZone);
  return variantIds.map((variantId) => ({ variantId, resolution: resolvePrice(byVariant.get(variantId) ?? [], q, local) }));
}

/**
 * The price books that answer in context `c`, in precedence order (see bookPrecedence): a variant's price is
 * its price in the first of them that has one. Two small queries, whatever the number of variants priced.
 */
export async function bookPrecedenceInTx(tx: TxScope, c: PriceContext): Promise<string[]> {
  const q = await priceQuery(tx, c);
  return bookPrecedence(await books.usable(tx), q);
}

/** SetPrice and the one price resolver. */
export class PriceService {
  /** SetPrice: the variant's price in the default book (or the outlet's book with outlet_id), created on first use. */
  async setPrice(ctx: Ctx, input: SetPriceInput): Promise<PricedVariant> {
    requirePermission(ctx, 'pos:catalog:write');
    const i = parseInput(setPriceInput, input);
    return withTransaction(ctx, async (tx) => {
      const tenant = await lookups.tenant(tx);
      assertTenantCurrency(tenant.currency, i.currency);
      const seq = await tickCatalogClock(tx);
      if (!(await lookups.existingVariants(tx, [i.variant_id])).has(i.variant_id)) {
        throw new AppError(CatalogErrors.VARIANT_NOT_FOUND, { id: i.variant_id, field: 'variant_id' });
      }
      let book: PriceBook | undefined;
      if (i.outlet_id === undefined) {
        book = await books.defaultBook(tx);
        book ??= await books.insert(tx, { id: uuidv7(), name: 'Default', isDefault: true, currency: tenant.currency, priority: 0, ...NO_CONDITIONS, active: true, changeSeq: seq });
      } else {
        const outlet = await lookups.outlet(tx, i.outlet_id);
        if (!outlet) throw validationError([{ field: 'outlet_id', message: 'no such outlet' }]);
        book = await books.outletBook(tx, outlet.id);
        book ??= await books.insert(tx, {
          id: uuidv7(),
          name: `${outlet.name} prices`,
          isDefault: false,
          currency: tenant.currency,
          priority: 0,
          ...NO_CONDITIONS,
          outletId: outlet.id,
          active: true,
          changeSeq: seq,
        });
      }
      const [previous] = await books.pricesIn(tx, book.id, [i.variant_id]);
      const amount = minorUnits(i.amount);
      const [price] = await books.upsertPrices(tx, book.id, [{ variantId: i.variant_id, amount, currency: tenant.currency }], seq);
      await recordPricesChanged(tx, book, [{ variantId: i.variant_id, amount, previousAmount: previous?.amount ?? null }]);
      return { price: price!, book };
    });
  }

  /** PUT /variants/{id}/price: the path names the variant, so a variant_id in the body is refused. */
  setVariantPrice(ctx: Ctx, variantId: string, input: VariantPriceInput): Promise<PricedVariant> {
    parseInput(variantPriceInput, input);
    return this.setPrice(ctx, { ...input, variant_id: variantId });
  }

  /** Every price the variant has, in every book (archived and inactive books included, flagged). */
  async listVariantPrices(ctx: Ctx, variantId: string): Promise<PricedVariant[]> {
    requirePermission(ctx, 'pos:catalog:read');
    return withTransaction(ctx, async (tx) => {
      if (!(await lookups.existingVariants(tx, [variantId])).has(variantId)) throw new AppError(CatalogErrors.VARIANT_NOT_FOUND, { id: variantId });
      return (await books.candidates(tx, [variantId], false)).map(({ price, book }) => ({ price, book }));
    });
  }

  /** The price of one variant with the full explanation; PRICE_NOT_FOUND (explaining every book) when none applies. */
  async resolve(ctx: Ctx, variantId: string, query: PriceQueryInput): Promise<PriceResolution> {
    requirePermission(ctx, 'pos:catalog:read');
    const i = parseInput(priceQueryInput, query);
    return withTransaction(ctx, async (tx) => {
      const q = await priceQuery(tx, toContext(i));
      const candidates = candidatesOf(await books.candidates(tx, [variantId], false));
      const r = resolvePrice(candidates, q);
      if (r) return r;
      if (candidates.length === 0 && !(await lookups.existingVariants(tx, [variantId])).has(variantId)) {
        throw new AppError(CatalogErrors.VARIANT_NOT_FOUND, { id: variantId });
      }
      const why = explainCandidates(candidates, q);
      throw new AppError(
        PriceErrors.PRICE_NOT_FOUND,
        {
          variant_id: variantId,
          local_time: why.localTime,
          candidates: why.candidates.map((c) => ({ price_book_id: c.priceBookId, price_book_name: c.priceBookName, outcome: c.outcome, detail: c.detail })),
        },
        candidates.length
          ? `No price applies to variant ${variantId} at ${why.localTime}: ${candidates.length} price book(s) have a price but none applies, and the default book has none`
          : `Variant ${variantId} has no price in any price book; set one with SetPrice`,
      );
    });
  }

  /** The prices of many variants (a page of products), each with the book that won. */
  async resolveMany(ctx: Ctx, input: ResolvePricesInput): Promise<ResolvedVariantPrice[]> {
    requirePermission(ctx, 'pos:catalog:read');
    const i = parseInput(resolvePricesInput, input);
    return withTransaction(ctx, (tx) => resolvePricesInTx(tx, [...new Set(i.variant_ids)], toContext(i)));
  }
}
