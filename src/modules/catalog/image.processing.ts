import sharp, { type Metadata } from 'sharp';
import { AppError } from '../../platform/errors.js';
import {
  describeContent,
  fitWithin,
  IMAGE_CONTENT_TYPES,
  MAX_IMAGE_PIXELS,
  sniffImageType,
  THUMBNAIL_SIZES,
  type ImageContentType,
  type ThumbnailSize,
} from './image.js';
import { ImageErrors } from './image.errors.js';

export interface ProcessedImage {
  contentType: ImageContentType;
  /** As displayed, i.e. after the EXIF orientation is applied. */
  width: number;
  height: number;
  thumbnails: { size: ThumbnailSize; body: Buffer; width: number; height: number }[];
}

const FORMATS: Record<string, ImageContentType> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

const unreadable = (e: unknown, details: Record<string, unknown> = {}) =>
  new AppError(ImageErrors.IMAGE_UNREADABLE, { ...details, reason: String((e as Error)?.message ?? e).slice(0, 200) });

/**
 * Decides what an uploaded file is from its bytes alone and renders its thumbnails. Three gates, cheapest
 * first: the signature must be JPEG, PNG or WebP; the decoder must read the header as that same format with a
 * sane pixel count; and the whole image must decode (rendering the thumbnails does that, failing on any
 * warning such as a truncated stream).
 */
export async function processImage(data: Buffer): Promise<ProcessedImage> {
  const contentType = sniffImageType(data);
  if (!contentType) throw new AppError(ImageErrors.IMAGE_TYPE_UNSUPPORTED, { detected: describeContent(data), allowed: [...IMAGE_CONTENT_TYPES] });

  let meta: Metadata;
  try {
    meta = await sharp(data, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw unreadable(e, { signature: contentType });
  }
  if (FORMATS[meta.format] !== contentType) throw unreadable(`decoded as ${meta.format}`, { signature: contentType });
  if (!meta.width || !meta.height) throw unreadable('no dimensions', { signature: contentType });
  if (meta.width * meta.height > MAX_IMAGE_PIXELS) {
    throw new AppError(ImageErrors.IMAGE_DIMENSIONS_TOO_LARGE, { width: meta.width, height: meta.height, max_pixels: MAX_IMAGE_PIXELS });
  }
  const { width, height } = meta.autoOrient ?? { width: meta.width, height: meta.height };

  try {
    const thumbnails = await Promise.all(
      THUMBNAIL_SIZES.map(async (size) => {
        const dims = fitWithin(width, height, size);
        const { data: body, info } = await sharp(data, { failOn: 'warning', limitInputPixels: MAX_IMAGE_PIXELS })
          .autoOrient()
          .resize(dims.width, dims.height, { fit: 'fill' })
          .webp({ quality: 80 })
          .toBuffer({ resolveWithObject: true });
        return { size, body, width: info.width, height: info.height };
      }),
    );
    return { contentType, width, height, thumbnails };
  } catch (e) {
    throw unreadable(e, { signature: contentType });
  }
}
