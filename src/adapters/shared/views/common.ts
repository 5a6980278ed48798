import { z } from 'zod';
import type { Page } from '../../../platform/pagination.js';

export const idParams = z.object({ id: z.string().uuid('must be a UUID').transform((s) => s.toLowerCase()) });
export const timestamp = () => z.string().describe('RFC 3339 date-time');
export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/** A page as both transports send it: items, next_page_token (empty at the end), total_count of this page. */
export const pageView = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), next_page_token: z.string(), total_count: z.number().int() });

export function presentPage<T, V>(page: Page<T>, present: (t: T) => V) {
  return { items: page.items.map(present), next_page_token: page.nextPageToken, total_count: page.items.length };
}

/** presentPage's JSON for a page whose items are JSON text already (rendered by the database). */
export const pageJson = (page: Page<string>): string =>
  `{"items":[${page.items.join(',')}],"next_page_token":${JSON.stringify(page.nextPageToken)},"total_count":${page.items.length}}`;
