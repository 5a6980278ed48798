import { z } from 'zod';

/** Position among siblings (categories, variants), ascending; any 32-bit-safe integer. */
export const sortOrderField = () => z.number().int('must be an integer').min(-1_000_000).max(1_000_000);

/** Free-form product tags: trimmed, 1–40 characters, at most 20, duplicates dropped. */
export const tagsField = () =>
  z
    .array(z.string().trim().min(1, 'must not be empty').max(40, 'must be at most 40 characters'))
    .max(20, 'at most 20 tags')
    .transform((tags) => [...new Set(tags)]);

/** Optional free text that may be cleared with null. */
export const optionalText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).nullable().optional();
