import { z } from 'zod';
import { AppError, CommonErrors } from './errors.js';
import { isUuid } from './ids.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

/** Request fields of every list, REST query string and gRPC `PaginationRequest` alike. */
export const pageRequestSchema = z.object({
  page_size: z.coerce.number().int().min(0).max(MAX_PAGE_SIZE).optional().describe(`Items per page: default ${DEFAULT_PAGE_SIZE}, max ${MAX_PAGE_SIZE}`),
  page_token: z.string().max(64).optional().describe('next_page_token of the previous page'),
});

export interface PageRequest {
  page_size?: number | undefined;
  page_token?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextPageToken: string;
}

/**
 * Keyset pagination over UUIDv7 ids: the token is the id of the last item of the previous page (as seed 000
 * says), so pages stay stable under inserts and cost one index range scan. Returns what a repository needs:
 * fetch `limit + 1` rows with id > `after` ordered by id.
 */
export function readPage(req: PageRequest | undefined): { limit: number; after: string | undefined } {
  const size = req?.page_size ? req.page_size : DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new AppError(CommonErrors.VALIDATION_FAILED, { fields: [{ field: 'page_size', message: `must be 1 to ${MAX_PAGE_SIZE}` }] }, `page_size must be 1 to ${MAX_PAGE_SIZE}`);
  }
  const token = req?.page_token || undefined;
  if (token !== undefined && !isUuid(token)) throw new AppError(CommonErrors.INVALID_PAGE_TOKEN, { field: 'page_token' });
  return { limit: size, after: token?.toLowerCase() };
}

/** Cuts the `limit + 1` rows a repository fetched into a page and its next token. */
export function toPage<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items, nextPageToken: more ? items[items.length - 1]!.id : '' };
}
