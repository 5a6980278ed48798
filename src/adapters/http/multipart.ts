import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { UploadedFile } from '../../modules/catalog/index.js';

export interface MultipartOptions {
  /** Largest file accepted (POS_IMAGE_MAX_BYTES); a larger one arrives truncated and is refused by the service. */
  maxFileBytes: number;
}

const registered = new WeakSet<FastifyInstance>();

/**
 * Accepts multipart/form-data bodies on every route of `server`: text fields arrive in the body as strings and
 * the one file field as an UploadedFile ({ data, truncated, filename }), so routes validate and hash it like
 * any other body. Reading stops at maxFileBytes (the file is marked truncated, and the rest of the upload is
 * discarded as it streams in). Registering twice on one server is a no-op, so both server.ts and a route
 * module may call it. Call it before `server.ready()`.
 */
export function registerMultipart(server: FastifyInstance, opts: MultipartOptions): void {
  if (registered.has(server)) return;
  registered.add(server);
  void server.register(multipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { fileSize: opts.maxFileBytes, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 21, headerPairs: 100 },
    async onFile(part) {
      const data = await part.toBuffer();
      const file: UploadedFile = { data, truncated: part.file.truncated, filename: part.filename };
      (part as unknown as { value: UploadedFile }).value = file;
    },
  });
}
