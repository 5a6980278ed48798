/**
 * Images of products, variants and categories: pure rules. Which types are accepted (judged by the bytes,
 * never by a file name or a declared content type), the thumbnail sizes, their dimensions, and where each
 * rendition is stored.
 */
export const IMAGE_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ImageContentType = (typeof IMAGE_CONTENT_TYPES)[number];

export const IMAGE_OWNER_TYPES = ['product', 'variant', 'category'] as const;
export type ImageOwnerType = (typeof IMAGE_OWNER_TYPES)[number];

/** Longest edge of each thumbnail, in pixels. Thumbnails are WebP. */
export const THUMBNAIL_SIZES = [512, 128] as const;
export type ThumbnailSize = (typeof THUMBNAIL_SIZES)[number];
export const IMAGE_SIZES = ['original', '512', '128'] as const;
export type ImageSize = (typeof IMAGE_SIZES)[number];
export const THUMBNAIL_CONTENT_TYPE = 'image/webp';

/** Decoded images above this many pixels are refused before decoding (a small file can expand to gigabytes). */
export const MAX_IMAGE_PIXELS = 40_000_000;

const EXTENSIONS: Record<ImageContentType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };
export const extensionOf = (t: ImageContentType): string => EXTENSIONS[t];

const startsWith = (buf: Uint8Array, bytes: number[], at = 0) => buf.length >= at + bytes.length && bytes.every((b, i) => buf[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** The image type the content declares by its signature (magic bytes), or undefined for anything else. */
export function sniffImageType(buf: Uint8Array): ImageContentType | undefined {
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(buf, ascii('RIFF')) && startsWith(buf, ascii('WEBP'), 8)) return 'image/webp';
  return undefined;
}

/** A few other signatures, only to name what was refused in the error. */
export function describeContent(buf: Uint8Array): string {
  if (startsWith(buf, ascii('GIF8'))) return 'gif';
  if (startsWith(buf, ascii('BM'))) return 'bmp';
  if (startsWith(buf, [0x49, 0x49, 0x2a, 0x00]) || startsWith(buf, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(buf, ascii('ftyp'), 4)) return 'heif/avif/mp4';
  if (startsWith(buf, ascii('%PDF'))) return 'pdf';
  const head = Buffer.from(buf.subarray(0, 256)).toString('utf8').trimStart().toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'svg';
  if (buf.length > 0 && buf.subarray(0, 512).every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 128)) return 'text';
  return 'unknown';
}

/** Dimensions of `width`×`height` scaled to fit within `max`×`max`, keeping the aspect ratio, never enlarged. */
export function fitWithin(width: number, height: number, max: number): { width: number; height: number } {
  const longest = Math.max(width, height);
  if (longest <= max) return { width, height };
  const scale = max / longest;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Storage prefix of an image: the tenant is part of every key, so keys of two tenants can never meet. */
export const imageStorageKey = (tenantId: string, imageId: string): string => `tenants/${tenantId}/images/${imageId}`;

/** The key of one rendition under an image's storage prefix. */
export function renditionKey(storageKey: string, size: ImageSize, originalType: ImageContentType): string {
  return size === 'original' ? `${storageKey}/original.${extensionOf(originalType)}` : `${storageKey}/${size}.webp`;
}

export const renditionContentType = (size: ImageSize, originalType: ImageContentType): ImageContentType =>
  size === 'original' ? originalType : THUMBNAIL_CONTENT_TYPE;

/** Dimensions of a rendition of an image of `width`×`height`. */
export function renditionDimensions(size: ImageSize, width: number, height: number): { width: number; height: number } {
  return size === 'original' ? { width, height } : fitWithin(width, height, Number(size));
}
