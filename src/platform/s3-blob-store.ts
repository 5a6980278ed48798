import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { assertBlobKey, blobUnavailable, type BlobStore } from './blob-store.js';

export interface S3Options {
  bucket: string;
  /** S3-compatible endpoint (MinIO, R2, Ceph…); undefined: AWS S3 itself. */
  endpoint?: string | undefined;
  region: string;
  /** Both or neither; neither: the SDK's default credential chain. */
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
}

const status = (e: unknown): number | undefined => (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
const notFound = (e: unknown): boolean => {
  const name = (e as { name?: string })?.name;
  return name === 'NoSuchKey' || name === 'NotFound' || status(e) === 404;
};

/**
 * Blobs in an S3 bucket, addressed path-style (`<endpoint>/<bucket>/<key>`), which every S3-compatible store
 * accepts. Checksums are sent only when an operation requires them: the SDK's newer default (CRC32 trailers
 * on every upload) is refused by several S3-compatible stores.
 */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(opts: S3Options) {
    this.bucket = opts.bucket;
    this.client = new S3Client({
      region: opts.region,
      ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
      forcePathStyle: true,
      ...(opts.accessKeyId && opts.secretAccessKey ? { credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey } } : {}),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
    });
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    assertBlobKey(key);
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, ContentLength: body.length }));
    } catch (e) {
      throw blobUnavailable(e);
    }
  }

  async get(key: string): Promise<{ body: Readable; size: number } | undefined> {
    assertBlobKey(key);
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      // In Node the SDK's body is an http.IncomingMessage (a Readable) with helper methods mixed in.
      return { body: r.Body as Readable, size: Number(r.ContentLength ?? 0) };
    } catch (e) {
      if (notFound(e)) return undefined;
      throw blobUnavailable(e);
    }
  }

  async head(key: string): Promise<{ size: number } | undefined> {
    assertBlobKey(key);
    try {
      const r = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: Number(r.ContentLength ?? 0) };
    } catch (e) {
      if (notFound(e)) return undefined;
      throw blobUnavailable(e);
    }
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (e) {
      if (!notFound(e)) throw blobUnavailable(e);
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
