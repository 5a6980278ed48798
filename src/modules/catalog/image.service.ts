import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { BlobStore } from '../../platform/blob-store.js';
import { requirePermission, withTransaction, type Ctx, type TxScope } from '../../platform/context.js';
import { AppError, isAppError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { readPage, toPage, type Page, type PageRequest } from '../../platform/pagination.js';
import { parseInput, uuidField } from '../../platform/validation.js';
import { recordTombstone, tickCatalogClock } from './catalog-clock.js';
import type { Image } from './catalog.schema.js';
import { IMAGE_OWNER_TYPES, IMAGE_SIZES, imageStorageKey, renditionContentType, renditionKey, THUMBNAIL_CONTENT_TYPE, type ImageContentType, type ImageOwnerType, type ImageSize } from './image.js';
import { ImageErrors } from './image.errors.js';
import { processImage } from './image.processing.js';
import { imageRepository } from './image.repository.js';

export const imageOwnerInput = z.object({
  owner_type: z.enum(IMAGE_OWNER_TYPES),
  owner_id: uuidField(),
});
export const uploadImageInput = imageOwnerInput.extend({
  sort_order: z.coerce.number().int('must be a whole number').min(0).max(1_000_000).optional().describe('Display position among the owner’s images; default 0'),
});
export type UploadImageInput = z.input<typeof uploadImageInput>;

/** An uploaded file as the transport received it; nothing about it is trusted but its bytes. */
export interface UploadedFile {
  data: Buffer;
  /** The transport stopped reading at its size limit: `data` is only the beginning of the file. */
  truncated: boolean;
  filename?: string | undefined;
}

export interface ImageContent {
  image: Image;
  size: ImageSize;
  contentType: ImageContentType;
  body: Readable;
  byteSize: number;
}

export interface ImageServiceOptions {
  /** POS_IMAGE_MAX_BYTES. */
  maxBytes: number;
}

/**
 * Upload, read and delete images of products, variants and categories. Bytes go to the blob store outside
 * any transaction the service opens (the store may be a network service); the row is written after the
 * blobs, so a row always has its blobs. A failed insert removes the blobs again; a crash in between leaves
 * only unreferenced blobs, never a row without its files.
 */
export class ImageService {
  constructor(
    private readonly blobs: BlobStore,
    private readonly opts: ImageServiceOptions,
  ) {}

  async upload(ctx: Ctx, input: UploadImageInput, file: UploadedFile | undefined): Promise<Image> {
    requirePermission(ctx, 'pos:catalog:write');
    const i = parseInput(uploadImageInput, input);
    if (!file || !Buffer.isBuffer(file.data)) throw new AppError(ImageErrors.IMAGE_FILE_MISSING, { field: 'file' });
    if (file.truncated || file.data.length > this.opts.maxBytes) {
      throw new AppError(ImageErrors.IMAGE_TOO_LARGE, { field: 'file', max_bytes: this.opts.maxBytes }, `The image file is larger than the upload limit of ${this.opts.maxBytes} bytes`);
    }
    await withTransaction(ctx, (tx) => this.assertOwner(tx, i.owner_type, i.owner_id));
    const processed = await processImage(file.data);

    const id = uuidv7();
    const storageKey = imageStorageKey(ctx.tenantId, id);
    const renditions: [string, Buffer, string][] = [
      [renditionKey(storageKey, 'original', processed.contentType), file.data, processed.contentType],
      ...processed.thumbnails.map((t): [string, Buffer, string] => [renditionKey(storageKey, String(t.size) as ImageSize, processed.contentType), t.body, THUMBNAIL_CONTENT_TYPE]),
    ];
    try {
      await this.guard(ctx, Promise.all(renditions.map(([key, body, type]) => this.blobs.put(key, body, type))));
      return await withTransaction(ctx, async (tx) => {
        await this.assertOwner(tx, i.owner_type, i.owner_id);
        const seq = await tickCatalogClock(tx);
        return imageRepository.insert(tx, {
          id,
          ownerType: i.owner_type,
          ownerId: i.owner_id,
          contentType: processed.contentType,
          byteSize: file.data.length,
          width: processed.width,
          height: processed.height,
          storageKey,
          sortOrder: i.sort_order ?? 0,
          changeSeq: seq,
        });
      });
    } catch (e) {
      await Promise.all(renditions.map(([key]) => this.blobs.delete(key).catch(() => undefined)));
      throw e;
    }
  }

  async get(ctx: Ctx, id: string): Promise<Image> {
    requirePermission(ctx, 'pos:catalog:read');
    const image = await withTransaction(ctx, (tx) => imageRepository.byId(tx, id));
    if (!image) throw new AppError(ImageErrors.IMAGE_NOT_FOUND, { id });
    return image;
  }

  async list(ctx: Ctx, owner: { owner_type: ImageOwnerType; owner_id: string }, req: PageRequest = {}): Promise<Page<Image>> {
    requirePermission(ctx, 'pos:catalog:read');
    const o = parseInput(imageOwnerInput, owner);
    const { limit, after } = readPage(req);
    const rows = await withTransaction(ctx, async (tx) => {
      await this.assertOwner(tx, o.owner_type, o.owner_id);
      return imageRepository.listByOwner(tx, o.owner_type, o.owner_id, limit, after);
    });
    return toPage(rows, limit);
  }

  /**
   * One rendition's bytes, for an image `get` returned in this tenant (so another tenant's id is already a
   * 404). The HTTP adapter reads the row first to answer conditional requests without touching the store.
   */
  async open(ctx: Ctx, image: Image, size: ImageSize = 'original'): Promise<ImageContent> {
    requirePermission(ctx, 'pos:catalog:read');
    if (image.tenantId !== ctx.tenantId) throw new AppError(ImageErrors.IMAGE_NOT_FOUND, { id: image.id });
    const found = await this.guard(ctx, this.blobs.get(renditionKey(image.storageKey, size, image.contentType)));
    if (!found) {
      ctx.log.warn({ image_id: image.id, size }, 'image row without its blob');
      throw new AppError(ImageErrors.IMAGE_NOT_FOUND, { id: image.id, size });
    }
    return { image, size, contentType: renditionContentType(size, image.contentType), body: found.body, byteSize: found.size };
  }

  /**
   * Deletes the row and records a tombstone for the change feed, clears it as the main image (image_id) of
   * products and categories, then removes the blobs. A blob that cannot be removed is logged and left behind
   * (unreferenced), never the other way round.
   */
  async delete(ctx: Ctx, id: string): Promise<void> {
    requirePermission(ctx, 'pos:catalog:write');
    const image = await withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      const deleted = await imageRepository.delete(tx, id);
      if (!deleted) throw new AppError(ImageErrors.IMAGE_NOT_FOUND, { id });
      await recordTombstone(tx, 'image', id, seq);
      await imageRepository.clearMainImage(tx, id, seq);
      return deleted;
    });
    await Promise.all(
      IMAGE_SIZES.map((size) =>
        this.blobs.delete(renditionKey(image.storageKey, size, image.contentType)).catch((e: unknown) => {
          ctx.log.warn({ image_id: id, size, err: (e as Error & { cause?: unknown }).cause ?? e }, 'could not delete an image blob; it is left unreferenced');
        }),
      ),
    );
  }

  private async assertOwner(tx: TxScope, type: ImageOwnerType, id: string): Promise<void> {
    if (!(await imageRepository.ownerExists(tx, type, id))) {
      throw new AppError(ImageErrors.IMAGE_OWNER_NOT_FOUND, { owner_type: type, owner_id: id }, `No ${type} with id ${id}`);
    }
  }

  /** Logs a blob store failure with its cause (the client sees only 503 BLOB_STORE_UNAVAILABLE). */
  private async guard<T>(ctx: Ctx, work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (e) {
      if (isAppError(e) && e.code === 'BLOB_STORE_UNAVAILABLE') ctx.log.error({ err: (e as { cause?: unknown }).cause }, 'blob store request failed');
      throw e;
    }
  }
}
