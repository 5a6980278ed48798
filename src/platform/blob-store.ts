import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import type { Config } from './config.js';
import { AppError, defineError } from './errors.js';

/**
 * Where binary objects (images and their thumbnails) live: files under POS_DATA_DIR/blobs by default, or an
 * S3-compatible bucket when POS_S3_BUCKET is set, so API nodes need no shared disk. Objects are immutable: a
 * key is written once and later deleted, never overwritten with different bytes, which is what lets
 * readers cache them forever.
 */
export interface BlobStore {
  readonly kind: 'local' | 's3';
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** The object's bytes as a stream and its size, or undefined when there is no such object. */
  get(key: string): Promise<{ body: Readable; size: number } | undefined>;
  /** Size of the object, or undefined when there is none. */
  head(key: string): Promise<{ size: number } | undefined>;
  /** Removes the object; removing a missing object is not an error. */
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}

export const BlobErrors = {
  BLOB_STORE_UNAVAILABLE: defineError('BLOB_STORE_UNAVAILABLE', 'unavailable', 'The file store is unavailable; retry shortly'),
} as const;

/** Keys are relative paths of safe characters: no `..`, no leading slash, nothing a file system or URL reinterprets. */
const KEY_RE = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/i;

export function assertBlobKey(key: string): void {
  if (!KEY_RE.test(key) || key.split('/').some((s) => s === '..' || s === '.') || key.length > 512) throw new Error(`invalid blob key ${JSON.stringify(key)}`);
}

/** Wraps a store failure as 503 BLOB_STORE_UNAVAILABLE, keeping the cause for the log. */
export function blobUnavailable(cause: unknown): AppError {
  const e = new AppError(BlobErrors.BLOB_STORE_UNAVAILABLE);
  (e as { cause?: unknown }).cause = cause;
  return e;
}

const isErrno = (e: unknown, code: string) => (e as NodeJS.ErrnoException)?.code === code;

/** Files under one directory; each write goes to a temporary file that is renamed into place (atomic). */
export class LocalBlobStore implements BlobStore {
  readonly kind = 'local' as const;
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(key: string): string {
    assertBlobKey(key);
    const p = join(this.root, ...key.split('/'));
    if (!p.startsWith(this.root + sep)) throw new Error(`blob key escapes the store: ${key}`);
    return p;
  }

  async put(key: string, body: Buffer): Promise<void> {
    const path = this.path(key);
    const tmp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(tmp, body);
      await rename(tmp, path);
    } catch (e) {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw blobUnavailable(e);
    }
  }

  async get(key: string): Promise<{ body: Readable; size: number } | undefined> {
    const path = this.path(key);
    const found = await this.head(key);
    if (!found) return undefined;
    return { body: createReadStream(path), size: found.size };
  }

  async head(key: string): Promise<{ size: number } | undefined> {
    try {
      const s = await stat(this.path(key));
      return s.isFile() ? { size: s.size } : undefined;
    } catch (e) {
      if (isErrno(e, 'ENOENT') || isErrno(e, 'ENOTDIR')) return undefined;
      throw blobUnavailable(e);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.path(key));
    } catch (e) {
      if (!isErrno(e, 'ENOENT') && !isErrno(e, 'ENOTDIR')) throw blobUnavailable(e);
    }
  }

  async close(): Promise<void> {}
}

export type BlobStoreConfig = Pick<
  Config,
  'POS_DATA_DIR' | 'POS_S3_BUCKET' | 'POS_S3_ENDPOINT' | 'POS_S3_REGION' | 'POS_S3_ACCESS_KEY_ID' | 'POS_S3_SECRET_ACCESS_KEY'
>;

/**
 * The store the configuration asks for. The S3 client is imported only when S3 is configured, so the
 * default set-up does not pay for loading the AWS SDK.
 */
export async function createBlobStore(config: BlobStoreConfig): Promise<BlobStore> {
  if (!config.POS_S3_BUCKET) return new LocalBlobStore(join(config.POS_DATA_DIR, 'blobs'));
  const { S3BlobStore } = await import('./s3-blob-store.js');
  return new S3BlobStore({
    bucket: config.POS_S3_BUCKET,
    endpoint: config.POS_S3_ENDPOINT,
    region: config.POS_S3_REGION,
    accessKeyId: config.POS_S3_ACCESS_KEY_ID,
    secretAccessKey: config.POS_S3_SECRET_ACCESS_KEY,
  });
}
