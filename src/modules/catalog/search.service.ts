import { requirePermission, withTransaction, type Ctx } from '../../platform/context.js';
import { AppError, validationError } from '../../platform/errors.js';
import { readPage, toPage, type Page, type PageRequest } from '../../platform/pagination.js';
import { codeProblem, normalizeLookupCode } from './catalog-codes.js';
import { CatalogErrors } from './catalog.errors.js';
import { productRepository, type ProductFilter, type ProductWithVariants } from './product.repository.js';
import { formatSearchToken, normalizeQuery, parseSearchToken } from './search.js';
import { searchRepository, type LookupHit } from './search.repository.js';
import { bookPrecedenceInTx, resolvePricesInTx, type PriceContext } from './price.service.js';
import { productPageRepository } from './product-page.repository.js';
import type { TxCtx } from '../../platform/context.js';

/** A variant's price as the resolver answers it for the request's outlet, channel, group and time. */
export interface ListedPrice {
  amount: bigint;
  currency: string;
  priceBookId: string;
}

/** A listed product whose variants carry their resolved price (null: no book prices the variant). */
export type PricedProduct = ProductWithVariants & { variants: (ProductWithVariants['variants'][number] & { price?: ListedPrice | null })[] };

export interface ProductListRequest extends PageRequest, ProductFilter {
  /** Name search (prefix, substring and typo-tolerant); results then come best match first. */
  q?: string | undefined;
  /** Also resolve every listed variant's price in this context (one batch for the whole page). */
  prices?: PriceContext | undefined;
}

/** Attaches resolved prices to a page's variants: one resolver batch for all of them, in the same read. */
async function withPrices(tx: TxCtx, items: ProductWithVariants[], c: PriceContext | undefined): Promise<PricedProduct[]> {
  if (!c) return items;
  const ids = items.flatMap((p) => p.variants.map((v) => v.id));
  if (ids.length === 0) return items;
  const resolved = new Map((await resolvePricesInTx(tx, ids, c)).map((r) => [r.variantId, r.resolution]));
  return items.map((p) => ({
    ...p,
    variants: p.variants.map((v) => {
      const r = resolved.get(v.id);
      return { ...v, price: r ? { amount: r.amount, currency: r.currency, priceBookId: r.priceBookId } : null };
    }),
  }));
}

/** The permission check and the normalised, validated code of a lookup. */
function lookupCode(ctx: Ctx, rawCode: string | undefined): string {
  requirePermission(ctx, 'pos:catalog:read');
  const code = normalizeLookupCode(rawCode ?? '');
  const problem = codeProblem(code);
  if (problem) throw validationError([{ field: 'code', message: problem }]);
  return code;
}

/**
 * Reading the catalog as a till does: lists of products with their variants (one query for the page, one for
 * all its variants), name search, and barcode/SKU lookup. Archived products are left out unless asked for.
 */
export class CatalogSearchService {
  async products(ctx: Ctx, req: ProductListRequest): Promise<Page<PricedProduct>> {
    requirePermission(ctx, 'pos:catalog:read');
    const q = req.q === undefined ? '' : normalizeQuery(req.q);
    if (q === '') {
      const { limit, after } = readPage(req);
      return withTransaction(ctx, async (tx) => {
        const rows = await productRepository.list(tx, req, limit, after);
        const page = toPage(rows, limit);
        return { items: await withPrices(tx, await productRepository.attachVariants(tx, page.items), req.prices), nextPageToken: page.nextPageToken };
      });
    }
    const { limit } = readPage({ ...req, page_token: undefined });
    const after = parseSearchToken(req.page_token);
    return withTransaction(ctx, async (tx) => {
      const rows = await searchRepository.search(tx, q, req, limit, after);
      const more = rows.length > limit;
      const items = more ? rows.slice(0, limit) : rows;
      const last = items[items.length - 1];
      const withVariants = await productRepository.attachVariants(tx, items);
      return { items: await withPrices(tx, withVariants.map(({ score: _score, ...p }) => p), req.prices), nextPageToken: more && last ? formatSearchToken({ score: last.score, id: last.id }) : '' };
    });
  }

  /**
   * The page `products` returns without a name search, each product as JSON text rendered by the database in
   * the catalog's public shape (see product-page.repository.ts), with prices when asked: one statement for
   * the page (plus two small ones for the price books), nothing mapped in JavaScript. For REST's hot list.
   */
  async productPageJson(ctx: Ctx, req: Omit<ProductListRequest, 'q'>): Promise<Page<string>> {
    requirePermission(ctx, 'pos:catalog:read');
    const { limit, after } = readPage(req);
    return withTransaction(ctx, async (tx) => {
      const books = req.prices ? await bookPrecedenceInTx(tx, req.prices) : undefined;
      const rows = await productPageRepository.page(tx, req, limit, after, books);
      const page = toPage(rows, limit);
      return { items: page.items.map((r) => r.json), nextPageToken: page.nextPageToken };
    });
  }

  /** What a scanner or a typed code names: barcode first, then variant SKU, then product SKU. */
  async lookup(ctx: Ctx, rawCode: string | undefined): Promise<LookupHit> {
    const code = lookupCode(ctx, rawCode);
    const hit = await withTransaction(ctx, (tx) => searchRepository.lookup(tx, code));
    if (!hit) throw new AppError(CatalogErrors.CATALOG_CODE_NOT_FOUND, { code });
    return hit;
  }

  /** The same lookup as JSON text in the public lookup shape (rendered by the database), for REST. */
  async lookupJson(ctx: Ctx, rawCode: string | undefined): Promise<string> {
    const code = lookupCode(ctx, rawCode);
    const hit = await withTransaction(ctx, (tx) => searchRepository.lookupJson(tx, code));
    if (hit === undefined) throw new AppError(CatalogErrors.CATALOG_CODE_NOT_FOUND, { code });
    return hit;
  }
}
