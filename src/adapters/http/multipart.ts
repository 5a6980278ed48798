import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { UploadedFile } from '../../modules/catalog/index.js';
import type { Config } from '../../platform/config.js';

const registered = new WeakSet<FastifyInstance>();

/**
 * Accepts multipart/form-data bodies on every route of `server`: text fields arrive in the body as strings and
 * the one file field as an UploadedFile ({ data, truncated, filename }), so routes validate and hash it like
 * any other body. Reading stops at the largest upload any route takes (images, CSV imports): the file is then
 * marked truncated and the rest of the upload is discarded as it streams in; each service enforces its own
 * limit on what it receives. Registering twice on one server is a no-op, so server.ts and route modules may
 * both call it. Call it before `server.ready()`.
 */
export function registerMultipart(server: FastifyInstance, config: Pick<Config, 'POS_IMAGE_MAX_BYTES' | 'POS_CATALOG_IMPORT_MAX_BYTES'>): void {
  if (registered.has(server)) return;
  registered.add(server);
  void server.register(multipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { fileSize: Math.max(config.POS_IMAGE_MAX_BYTES, config.POS_CATALOG_IMPORT_MAX_BYTES), files: 1, fields: 20, fieldSize: 64 * 1024, parts: 21, headerPairs: 100 },
    async onFile(part) {
      const data = await part.toBuffer();
      const file: UploadedFile = { data, truncated: part.file.truncated, filename: part.filename };
      (part as unknown as { value: UploadedFile }).value = file;
    },
  });
}
