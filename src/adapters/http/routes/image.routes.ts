import { z } from 'zod';
import type { App } from '../../../app.js';
import { extensionOf, IMAGE_SIZES, imageOwnerInput, uploadImageInput, type ImageOwnerType, type ImageService, type UploadedFile } from '../../../modules/catalog/index.js';
import type { Ctx } from '../../../platform/context.js';
import { pageRequestSchema } from '../../../platform/pagination.js';
import { idParams, pageView, presentPage } from '../../shared/views/common.js';
import { imageView, presentImage } from '../../shared/views/image.views.js';
import { registerMultipart } from '../multipart.js';
import { fastifyOf, tenantRawGet } from '../raw-route.js';
import type { RouteKit } from '../route-kit.js';

const tags = ['Images'];
const fileField = z.any().optional().meta({ type: 'string', format: 'binary', description: 'The image file: JPEG, PNG or WebP, judged by its content; at most POS_IMAGE_MAX_BYTES' });
const ownedUploadBody = z.looseObject({ file: fileField, sort_order: uploadImageInput.shape.sort_order });
const uploadBody = ownedUploadBody.extend({ owner_type: imageOwnerInput.shape.owner_type, owner_id: z.string() });
const ownerListQuery = pageRequestSchema.extend(imageOwnerInput.shape);
const contentQuery = z.object({ size: z.enum(IMAGE_SIZES).default('original').describe('original, or a WebP thumbnail fitting 512 or 128 px') });
const multipartNote = 'multipart/form-data with a file field `file` (and optional `sort_order`). The type is decided by the bytes: a PNG named .jpg is stored as PNG; anything not JPEG, PNG or WebP is refused with IMAGE_TYPE_UNSUPPORTED.';

/** Content is immutable per (image, size), so a cache may keep it for good; private, as it needs credentials. */
const CACHE_CONTROL = 'private, max-age=31536000, immutable';

const asFile = (v: unknown): UploadedFile | undefined => (v && typeof v === 'object' && Buffer.isBuffer((v as UploadedFile).data) ? (v as UploadedFile) : undefined);

/**
 * Image routes: upload (multipart) for a product, variant or category, metadata, bytes, listing and delete.
 * Wire with `imageRoutes(kit, app, images)`; it registers multipart parsing on the server if server.ts did not.
 */
export function imageRoutes(r: RouteKit, app: Pick<App, 'gate' | 'database' | 'config'>, images: ImageService): void {
  const server = fastifyOf(r);
  registerMultipart(server, app.config);

  const upload = async (ctx: Ctx, ownerType: ImageOwnerType, ownerId: string, body: z.output<typeof ownedUploadBody>) =>
    presentImage(await images.upload(ctx, { owner_type: ownerType, owner_id: ownerId, sort_order: body.sort_order }, asFile(body.file)));

  r.post('/api/v1/images', { summary: 'Upload an image for a product, variant or category', description: `${multipartNote} Also needs owner_type and owner_id fields.`, tags, body: uploadBody, response: imageView, status: 201 }, async ({ body }, ctx) =>
    upload(ctx, body.owner_type, body.owner_id, body),
  );
  for (const [ownerType, path] of [['product', 'products'], ['variant', 'variants'], ['category', 'categories']] as const) {
    r.post(`/api/v1/${path}/:id/images`, { summary: `Upload an image of a ${ownerType}`, description: multipartNote, tags, params: idParams, body: ownedUploadBody, response: imageView, status: 201 }, async ({ params, body }, ctx) =>
      upload(ctx, ownerType, params.id, body),
    );
    r.get(`/api/v1/${path}/:id/images`, { summary: `List the images of a ${ownerType}`, tags, params: idParams, query: pageRequestSchema, response: pageView(imageView) }, async ({ params, query }, ctx) =>
      presentPage(await images.list(ctx, { owner_type: ownerType, owner_id: params.id }, query), presentImage),
    );
  }
  r.get('/api/v1/images', { summary: 'List the images of one owner', tags, query: ownerListQuery, response: pageView(imageView) }, async ({ query }, ctx) =>
    presentPage(await images.list(ctx, { owner_type: query.owner_type, owner_id: query.owner_id }, query), presentImage),
  );
  r.get('/api/v1/images/:id', { summary: 'An image’s metadata and the URLs of its original and thumbnails', tags, params: idParams, response: imageView }, async ({ params }, ctx) =>
    presentImage(await images.get(ctx, params.id)),
  );
  r.delete('/api/v1/images/:id', { summary: 'Delete an image and its files', tags, params: idParams, status: 204 }, async ({ params }, ctx) => images.delete(ctx, params.id));

  tenantRawGet(
    r,
    app,
    '/api/v1/images/:id/content',
    {
      summary: 'The bytes of an image or one of its thumbnails',
      description: 'Streams the original (its detected type) or a WebP thumbnail. Immutable: send If-None-Match with the ETag to get 304.',
      tags,
      params: idParams,
      querystring: contentQuery,
    },
    async (req, reply, ctx) => {
      const { id } = req.params as z.output<typeof idParams>;
      const { size } = req.query as z.output<typeof contentQuery>;
      const image = await images.get(ctx, id);
      const etag = `"${image.id}.${size}"`;
      reply.header('etag', etag).header('cache-control', CACHE_CONTROL).header('vary', 'authorization, x-api-key, x-dev-tenant-id');
      if (req.headers['if-none-match']?.split(/\s*,\s*/).some((t) => t === etag || t === `W/${etag}` || t === '*')) return reply.code(304).send();
      const content = await images.open(ctx, image, size);
      const ext = size === 'original' ? extensionOf(content.contentType) : 'webp';
      return reply
        .header('content-type', content.contentType)
        .header('content-length', content.byteSize)
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `inline; filename="${image.id}-${size}.${ext}"`)
        .send(content.body);
    },
  );
}
