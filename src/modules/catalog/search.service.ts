import { requirePermission, withTransaction, type Ctx } from '../../platform/context.js';
import { AppError, validationError } from '../../platform/errors.js';
import { readPage, toPage, type Page, type PageRequest } from '../../platform/pagination.js';
import { codeProblem, normalizeLookupCode } from './catalog-codes.js';
import { CatalogErrors } from './catalog.errors.js';
import { productRepository, type ProductFilter, type ProductWithVariants } from './product.repository.js';
import { formatSearchToken, normalizeQuery, parseSearchToken } from './search.js';
import { searchRepository, type LookupHit } from './search.repository.js';

export interface ProductListRequest extends PageRequest, ProductFilter {
  /** Name search (prefix, substring and typo-tolerant); results then come best match first. */
  q?: string | undefined;
}

/**
 * Reading the catalog as a till does: lists of products with their variants (one query for the page, one for
 * all its variants), name search, and barcode/SKU lookup. Archived products are left out unless asked for.
 */
export class CatalogSearchService {
  async products(ctx: Ctx, req: ProductListRequest): Promise<Page<ProductWithVariants>> {
    requirePermission(ctx, 'pos:catalog:read');
    const q = req.q === undefined ? '' : normalizeQuery(req.q);
    if (q === '') {
      const { limit, after } = readPage(req);
      return withTransaction(ctx, async (tx) => {
        const rows = await productRepository.list(tx, req, limit, after);
        const page = toPage(rows, limit);
        return { items: await productRepository.attachVariants(tx, page.items), nextPageToken: page.nextPageToken };
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
      return { items: withVariants.map(({ score: _score, ...p }) => p), nextPageToken: more && last ? formatSearchToken({ score: last.score, id: last.id }) : '' };
    });
  }

  /** What a scanner or a typed code names: barcode first, then variant SKU, then product SKU. */
  async lookup(ctx: Ctx, rawCode: string | undefined): Promise<LookupHit> {
    requirePermission(ctx, 'pos:catalog:read');
    const code = normalizeLookupCode(rawCode ?? '');
    const problem = codeProblem(code);
    if (problem) throw validationError([{ field: 'code', message: problem }]);
    const hit = await withTransaction(ctx, (tx) => searchRepository.lookup(tx, code));
    if (!hit) throw new AppError(CatalogErrors.CATALOG_CODE_NOT_FOUND, { code });
    return hit;
  }
}
