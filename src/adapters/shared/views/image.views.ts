import { z } from 'zod';
import { IMAGE_SIZES, renditionContentType, renditionDimensions, THUMBNAIL_SIZES, type Image } from '../../../modules/catalog/index.js';
import { iso, timestamp } from './common.js';

const rendition = z.object({
  size: z.enum(IMAGE_SIZES).describe('original, or the longest edge of a thumbnail in pixels'),
  content_type: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  url: z.string().describe('Path of the bytes, relative to the API origin; needs the same credentials'),
});

export const imageView = z.object({
  id: z.string(),
  owner_type: z.enum(['product', 'variant', 'category']),
  owner_id: z.string(),
  content_type: z.enum(['image/jpeg', 'image/png', 'image/webp']).describe('Of the original, as detected from its bytes'),
  byte_size: z.number().int().describe('Of the original'),
  width: z.number().int(),
  height: z.number().int(),
  sort_order: z.number().int(),
  change_seq: z.number().int(),
  created_at: timestamp(),
  url: z.string().describe('The original’s bytes'),
  thumbnails: z.array(rendition).describe(`WebP renditions fitting ${THUMBNAIL_SIZES.join(' and ')} px squares (never enlarged)`),
  renditions: z.array(rendition),
});

export const imageContentUrl = (id: string, size: string) => `/api/v1/images/${id}/content?size=${size}`;

export function presentImage(i: Image) {
  const renditions = IMAGE_SIZES.map((size) => ({
    size,
    content_type: renditionContentType(size, i.contentType),
    ...renditionDimensions(size, i.width, i.height),
    url: imageContentUrl(i.id, size),
  }));
  return {
    id: i.id,
    owner_type: i.ownerType,
    owner_id: i.ownerId,
    content_type: i.contentType,
    byte_size: i.byteSize,
    width: i.width,
    height: i.height,
    sort_order: i.sortOrder,
    change_seq: i.changeSeq,
    created_at: iso(i.createdAt)!,
    url: imageContentUrl(i.id, 'original'),
    thumbnails: renditions.filter((r) => r.size !== 'original'),
    renditions,
  };
}
